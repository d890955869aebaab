"""The review and enforcement service: upload → verdict → listing gate, notices (通报), rectification,
removals (下架) and the strike rule, over the same library as the CLI.

Layout (data flows one way): ``config.py`` settings; ``db/`` SQLAlchemy models and sessions;
``crud/`` data access without HTTP; ``domain/`` the rules of the process (gate, strikes); ``storage.py``
the content-addressed APK store; ``tasks.py`` analysis jobs (in-process or Celery; ``worker.py`` the
Celery side, ``scanning.py`` the isolated scan, ``campaigns.py`` batch tests); ``api/`` FastAPI
routers; ``web/`` server-rendered pages. Needs the ``service`` extra: ``pip install 'hegui[service]'``.
"""
