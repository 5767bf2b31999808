#!/usr/bin/env python3
"""`make audit`: pip-audit over the installed environment, failing loudly when it can't do its job.

- Known vulnerabilities: exit 1 and list them.
- PyPI unreachable (no network, proxy, DNS): exit 2 with the reason; never a silent pass.
- Packages PyPI doesn't know (a private mirror's builds, unreleased versions): listed with a warning
  and counted; with PIP_AUDIT_STRICT=1 they fail the audit too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def main() -> int:
    pip_audit = Path(sys.executable).with_name("pip-audit")
    command = [str(pip_audit), "--skip-editable", "--progress-spinner", "off", "--format", "json", "--desc", "off"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-5:])
        print(f"pip-audit FAILED: could not get an answer from PyPI's vulnerability data.\n{tail}", file=sys.stderr)
        return 2
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if "skip_reason" in d]
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})", file=sys.stderr)
    print(f"pip-audit: {len(audited)} of {len(dependencies)} packages audited, {len(vulnerable)} vulnerable.")
    if skipped:
        print(f"WARNING: {len(skipped)} packages could not be audited (PyPI does not know these versions; "
              "a local mirror?): " + ", ".join(f"{d['name']} {d.get('version', '')}".strip() for d in skipped),
              file=sys.stderr)
    if vulnerable:
        return 1
    if skipped and os.environ.get("PIP_AUDIT_STRICT") == "1":
        print("pip-audit FAILED: PIP_AUDIT_STRICT=1 and some packages could not be audited.", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
