"""JSON log lines (python-json-logger): one object a line, with time, level, logger,
message, request_id and task_id, ready for any log collector."""

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter


class JsonFormatter(_JsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "fmt", "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s"
        )
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level"})
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        super().__init__(*args, **kwargs)

    def add_fields(self, log_record, record, message_dict) -> None:
        super().add_fields(log_record, record, message_dict)
        # Empty ids are noise in every line; keep the keys only when they say something.
        for key in ("request_id", "task_id"):
            if not log_record.get(key):
                log_record.pop(key, None)
