"""`uvicorn adapters.web.main:app`: the app built from DEALWISE_ settings, for process managers and load tests."""

from adapters.web.app import create_app

app = create_app()
_ = app.state.context.assistant
