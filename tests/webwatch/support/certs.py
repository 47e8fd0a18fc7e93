"""Test certificates made with the `openssl` command (the `cryptography` package is not a
dependency): a private CA, certificates it signs with chosen dates, a self-signed one."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

CA_CONFIG = Path(__file__).resolve().parents[2] / "fixtures" / "webwatch" / "tls" / "ca.cnf"


@dataclass(frozen=True)
class Cert:
    cert: Path
    key: Path


def _openssl(folder: Path, *args: str) -> None:
    subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)


def _stamp(when: datetime) -> str:
    return when.strftime("%Y%m%d%H%M%SZ")


class CertMaker:
    """Certificates under `folder`, signed by one CA made on creation (or self-signed)."""

    def __init__(self, folder: Path) -> None:
        if not shutil.which("openssl"):
            pytest.skip("the openssl command is needed to make test certificates")
        self.folder = folder
        shutil.copy(CA_CONFIG, folder / "ca.cnf")
        (folder / "index.txt").write_text("")
        (folder / "serial").write_text("01\n")
        _openssl(
            folder,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "3650",
            "-subj",
            "/CN=Citysoc Test CA",
        )
        self.ca = folder / "ca.pem"

    def make(
        self,
        name: str,
        *,
        names: list[str],
        days: tuple[int, int] = (-1, 400),
        self_signed: bool = False,
    ) -> Cert:
        """A certificate for `names` valid from now+days[0] to now+days[1] (days)."""
        now = datetime.now(tz=UTC)
        ext = self.folder / f"{name}.ext"
        ext.write_text("[ext]\nsubjectAltName = " + ", ".join(f"DNS:{n}" for n in names) + "\n")
        _openssl(
            self.folder,
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            f"{name}.key",
            "-out",
            f"{name}.csr",
            "-subj",
            f"/CN={names[0]}",
        )
        signer = (
            ["-selfsign", "-keyfile", f"{name}.key"]
            if self_signed
            else ["-cert", "ca.pem", "-keyfile", "ca.key"]
        )
        _openssl(
            self.folder,
            "ca",
            "-batch",
            "-config",
            "ca.cnf",
            *signer,
            "-in",
            f"{name}.csr",
            "-startdate",
            _stamp(now + timedelta(days=days[0])),
            "-enddate",
            _stamp(now + timedelta(days=days[1])),
            "-extfile",
            str(ext),
            "-extensions",
            "ext",
            "-out",
            f"{name}.pem",
        )
        return Cert(self.folder / f"{name}.pem", self.folder / f"{name}.key")
