"""The web desk ("Prüfstelle") of ``pyxl serve``: officials upload submissions in the browser, read the reports and
download the marked copies — checked by the same code as ``pyxl pruefen``, in processes of their own.

``sitzung``: sign-in sessions and CSRF tokens (files in the server's private folder, so every process of
``pyxl serve --prozesse N`` sees them); ``oidc``: the authorization code flow with PKCE against the own issuer;
``ablage``: one folder per check, deleted after the retention time; ``arbeit``: the check of one upload in a
process of its own; ``seiten``: the German, accessible pages; ``routen``: the routes.
"""
