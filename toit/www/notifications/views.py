"""The user's notifications: the list (newest first, unread marked), marking them read,
and the counter the header loads through htmx (so that no page pays a query for it)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from toit.notifications.models import Notification


def notification_list(request):
    notifications = Notification.objects.for_user(request.user).select_related("file")
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    unread = Notification.objects.for_user(request.user).unread().count()
    return render(request, "notifications/list.html", {"page": page, "unread": unread})


@require_POST
def mark_read(request):
    count = Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
    plural = "s" if count > 1 else ""
    messages.success(request, f"{count} notification{plural} marquée{plural} comme lue{plural}.")
    return redirect("notifications:list")


def counter(request):
    unread = Notification.objects.for_user(request.user).unread().count()
    return render(request, "notifications/_counter.html", {"unread": unread})
