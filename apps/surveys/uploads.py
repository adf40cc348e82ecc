"""An upload handler that stops reading a request body once it passes a size limit."""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict


class SizeLimitUploadHandler(FileUploadHandler):
    """Put first in request.upload_handlers (before anything reads request.POST). Past
    `max_bytes` the upload stops and `too_large` is set, so the view can say why; the rest
    of the body is never stored. With POST then empty, the view must check `too_large`
    before the CSRF check (which would otherwise refuse the empty form)."""

    def __init__(self, request=None, *, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0
        self.too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # The multipart overhead is small; a body far past the limit is refused unread.
        if content_length and content_length > self.max_bytes + 64 * 1024:
            self.too_large = True
            return QueryDict(), MultiValueDict()  # nothing parsed, the body is never read
        return None

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
