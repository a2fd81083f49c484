"""Who AdminService requests come from: credentials, and the Entra ID sign-in that makes them.

Imports run one way, top to bottom (none of these imports one above it)::

    options.py         connect()'s token=, auth=, tenant=, … → the Credentials (credentials_for)
    msal.py            auth="msal": an Entra ID sign-in through msal, refreshed after a 401
    ├── prompt.py      the device-code prompt and who shows it (the sign-in widget implements it)
    ├── token_cache.py where the sign-in is kept between kernels (msal-extensions)
    └── sign_in_errors.py  MSAL's and the site's refusals, in words that say what to fix
    credentials.py     the Credentials seam the transport calls; none, bearer token, Negotiate

This package imports nothing at load, so the package's root can register the sign-in widget
with ``prompt.show_in_notebooks`` without loading requests or msal.
"""
