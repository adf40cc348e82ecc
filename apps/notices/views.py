from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Notice
from .selectors import notice_list_published, notice_status, toolkit_content


def toolkit(request: HttpRequest) -> HttpResponse:
    return render(request, "notices/toolkit.html", toolkit_content())


def notice_list(request: HttpRequest) -> HttpResponse:
    return render(request, "notices/notice_list.html", {"notices": notice_list_published()})


def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notice.objects.published(), pk=pk)
    return render(
        request,
        "notices/notice_detail.html",
        {"notice": notice, "status": notice_status(notice)},
    )
