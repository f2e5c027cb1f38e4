# Read by the Binder launch (binder/start puts this folder on JUPYTER_CONFIG_PATH): the student's
# server does not serve solutions/. `python3 tasks.py course` passes the same setting on its command
# line.
c = get_config()  # noqa: F821 (provided by Jupyter's config loader)
c.ServerApp.contents_manager_class = "alliancekit.studentview.StudentContentsManager"
