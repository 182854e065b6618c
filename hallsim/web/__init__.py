"""hallsim in the browser: ``hallsim serve`` (a JSON API, pages and exercise rooms).

Needs the ``web`` extra (``pip install 'hallsim[web]'``): FastAPI, uvicorn, Jinja2.
"""
