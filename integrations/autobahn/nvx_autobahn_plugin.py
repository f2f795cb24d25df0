"""pytest plugin (``-p nvx_autobahn_plugin``): switches autobahn to nvx before any test module is imported, as an
application calling ``nvx_ws.autobahn.install()`` at start-up would. autobahn's test modules then run unchanged."""

import nvx_ws.autobahn

REBOUND = nvx_ws.autobahn.install()


def pytest_report_header(config):
    return "nvx_ws.autobahn.install(): rebound %s (libnvx %s, %s)" % (
        ", ".join(REBOUND),
        nvx_ws.libnvx_version(),
        nvx_ws.implementation(),
    )
