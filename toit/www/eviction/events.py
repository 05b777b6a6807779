"""Adding an event to a file. The form shows the fields of the chosen kind: htmx swaps
them when the kind changes; without JavaScript a « show the fields » button posts the
form back, which writes nothing."""

from django.contrib import messages
from django.shortcuts import redirect, render

from toit.eviction.models import PreventionFile
from toit.www.eviction.common import log_file_read, nominative_required, visible_file
from toit.www.eviction.followup import file_url
from toit.www.eviction.forms import EventForm

REFRESH = "changer_type"


@nominative_required
def add_event(request, reference):
    file = visible_file(request.user, reference, PreventionFile.objects.with_household())
    status = 200
    if request.method == "POST" and REFRESH in request.POST:
        form = EventForm(initial=request.POST.dict(), file=file, user=request.user)
    elif request.method == "POST":
        form = EventForm(request.POST, file=file, user=request.user)
        if form.submit():
            described = form.result.describe()
            messages.success(request, f"Événement enregistré : {described}.")
            return redirect(file_url(file, "chronologie"))
        status = 422
    else:
        form = EventForm(kind=request.GET.get("type"), file=file, user=request.user)
    log_file_read(request, file)  # the form's header names the household
    return render(request, "eviction/event_form.html", {"file": file, "form": form}, status=status)


@nominative_required
def event_fields(request, reference):
    """The fields of one kind, for htmx to swap into the form."""
    file = visible_file(request.user, reference)
    form = EventForm(kind=request.GET.get("kind"), file=file, user=request.user)
    return render(request, "eviction/_event_fields.html", {"form": form})
