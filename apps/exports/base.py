"""The exporter framework moved to apps.core.exporting (the bottom layer), so that the app
that owns the data (apps.surveys.exporters) registers its exporters without importing this
app. These names stay importable from here for the exports app's own modules."""

from apps.core.exporting import (
    ExportFailed,
    exporter_class,
    exporter_classes,
    exporter_classes_for,
    write_export,
    write_export_file,
)

__all__ = [
    "ExportFailed",
    "exporter_class",
    "exporter_classes",
    "exporter_classes_for",
    "write_export",
    "write_export_file",
]
