"""Backends: where a query's device part is evaluated (a site, the demo site, this machine)."""
