"""Ping bodies in S3-compatible object storage (monitoring spec §8.3).

Objects are named `<check uuid>/<sortable n>`. The sortable form makes larger
ping numbers sort *earlier*, so "every body with n <= X" is one listing of the
check's prefix that starts after the key of X + 1, which the S3 API can do
without listing what is kept.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import re
import uuid
from collections.abc import Iterable, Iterator

from django.conf import settings

from hc.lib import ratelimit

_minio_missing = False
try:
    import certifi
    import urllib3
    from minio import Minio
    from minio.deleteobjects import DeleteObject
    from minio.error import MinioException, S3Error
except ImportError:  # pragma: no cover - minio is in requirements.txt
    _minio_missing = True

logger = logging.getLogger(__name__)

# Bodies up to this many bytes stay in the database.
DB_BODY_LIMIT = 100
PUT_RETRIES = 10
# A batch job (prunepingsslow) can afford to wait at least this long.
PATIENT_TIMEOUT = 60

# The circuit breaker: every failed read spends a third of this bucket, which
# refills by one token a minute. Reads are skipped while less than a third is
# left, so three failures within a minute pause reads for about 20 seconds.
BREAKER_KEY = "s3_get_object_error"
BREAKER_CAPACITY = 3
BREAKER_REFILL_SECONDS = 60

_UUID_PREFIX = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}/")


class BodyUnavailable(Exception):
    """The body exists but cannot be read now (object storage trouble)."""


def enabled() -> bool:
    return bool(settings.S3_BUCKET) and not _minio_missing


def errors() -> tuple[type[Exception], ...]:
    """What a call to object storage may raise when the storage misbehaves.

    ValueError covers a client that cannot be built from the settings.
    """
    return (MinioException, urllib3.exceptions.HTTPError, OSError, ValueError)


def sortable_n(n: int) -> str:
    """`n` as `<L><D>-<n>`: L encodes the digit count (1 -> z, 2 -> y, ...),
    D maps each digit d to chr(ord("j") - d). 1 -> zi-1, 10 -> yij-10."""
    if n < 0:
        raise ValueError(f"ping numbers are not negative: {n}")
    digits = str(n)
    length = chr(ord("z") + 1 - len(digits))
    inverted = "".join(chr(ord("j") - int(d)) for d in digits)
    return f"{length}{inverted}-{digits}"


def object_key(code: uuid.UUID | str, n: int) -> str:
    return f"{code}/{sortable_n(n)}"


@functools.lru_cache(maxsize=4)
def _cached_client(
    endpoint: str,
    access_key: str | None,
    secret_key: str | None,
    region: str | None,
    secure: bool,
    timeout: float,
) -> Minio:
    # The pool keeps connections open between calls; one retry absorbs a
    # dropped keep-alive connection without multiplying a real outage.
    http = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=timeout, read=timeout),
        retries=urllib3.Retry(total=1, backoff_factor=0.2),
        maxsize=10,
        cert_reqs="CERT_REQUIRED",
        ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
    )
    return Minio(
        endpoint,
        access_key=access_key,
        secret_key=secret_key,
        region=region,
        secure=secure,
        http_client=http,
    )


def client(timeout: float | None = None) -> Minio:
    """A client for the current settings (cached per distinct settings)."""
    if not settings.S3_ENDPOINT:
        raise ValueError("S3_ENDPOINT is not set")
    return _cached_client(
        settings.S3_ENDPOINT,
        settings.S3_ACCESS_KEY,
        settings.S3_SECRET_KEY,
        settings.S3_REGION,
        settings.S3_SECURE,
        float(timeout if timeout is not None else settings.S3_TIMEOUT),
    )


def _bucket() -> str:
    if not settings.S3_BUCKET:
        raise ValueError("S3_BUCKET is not set")
    return str(settings.S3_BUCKET)


def put_object(code: uuid.UUID | str, n: int, body: bytes) -> None:
    """Upload a body; InternalError (a transient S3 condition) is retried."""
    key = object_key(code, n)
    for attempt in range(PUT_RETRIES + 1):
        try:
            client().put_object(_bucket(), key, io.BytesIO(body), len(body))
            return
        except S3Error as e:
            if e.code != "InternalError" or attempt == PUT_RETRIES:
                raise
            logger.warning("InternalError uploading %s, retrying", key)


def breaker_open() -> bool:
    """True while recent read failures say storage is down: skip reading."""
    level = ratelimit.level(BREAKER_KEY, BREAKER_REFILL_SECONDS)
    return level < 1 / BREAKER_CAPACITY


def _record_failure() -> None:
    ratelimit.authorize(BREAKER_KEY, BREAKER_CAPACITY, BREAKER_REFILL_SECONDS, force=True)


def get_object(code: uuid.UUID | str, n: int) -> bytes | None:
    """The stored body; None when there is no such object (not uploaded yet).

    Raises BodyUnavailable when storage fails, or without asking storage
    while the circuit breaker is open.
    """
    if breaker_open():
        raise BodyUnavailable("object storage is failing; not trying for a while")
    key = object_key(code, n)
    try:
        response = client().get_object(_bucket(), key)
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()
    except S3Error as e:
        if e.code == "NoSuchKey":
            return None
        failure: Exception = e
    except errors() as e:
        failure = e
    logger.warning("Could not read %s from object storage: %s", key, failure)
    _record_failure()
    raise BodyUnavailable(str(failure)) from failure


def _remove(minio: Minio, names: Iterable[str]) -> Iterator[str]:
    """Batch-delete these keys; yields a description of each key that failed."""
    batch = (DeleteObject(name) for name in names)
    for error in minio.remove_objects(_bucket(), batch):
        yield f"{error.name}: {error.code} {error.message or ''}".rstrip()


def _listed(minio: Minio, prefix: str, start_after: str | None = None) -> Iterator[str]:
    for obj in minio.list_objects(
        _bucket(), prefix=prefix, recursive=True, start_after=start_after
    ):
        if obj.object_name is not None:
            yield obj.object_name


def remove_objects(code: uuid.UUID | str, upto_n: int, *, timeout: float | None = None) -> int:
    """Delete the check's bodies with n <= upto_n; returns the number of failures.

    Failures are logged, not raised: pruning runs in the background, and
    whatever is left behind is retried by the next pruning of the check.
    """
    if upto_n <= 0:
        return 0
    failures = 0
    try:
        minio = client(timeout)
        names = _listed(minio, f"{code}/", start_after=object_key(code, upto_n + 1))
        for failure in _remove(minio, names):
            logger.warning("Could not remove %s from object storage", failure)
            failures += 1
    except errors() as e:
        logger.warning("Could not prune objects of %s: %s", code, e)
        failures += 1
    return failures


def top_level_prefixes() -> Iterator[str]:
    """The bucket's top-level "directories", such as `<uuid>/`."""
    for obj in client().list_objects(_bucket()):
        if obj.is_dir and obj.object_name is not None:
            yield obj.object_name


def check_code_of(prefix: str) -> uuid.UUID | None:
    """The check UUID a top-level prefix belongs to; None for foreign names."""
    if not _UUID_PREFIX.fullmatch(prefix):
        return None
    return uuid.UUID(prefix[:-1])


def remove_prefix(prefix: str) -> list[str]:
    """Delete every object under the prefix; returns per-object failures."""
    minio = client()
    return list(_remove(minio, _listed(minio, prefix)))
