"""Container health check: in webhook mode GET /healthz must answer 200; polling mode passes."""

import os
import sys
import urllib.request


def main() -> int:
    """Return 0 when healthy."""
    if not os.environ.get("WEBHOOK_URL"):
        return 0
    port = os.environ.get("WEBHOOK_LISTEN", "0.0.0.0:8080").rpartition(":")[2]
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=3) as response:
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
