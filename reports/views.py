from django.shortcuts import render

from measures.selectors import report_list


def home(request):
    return render(request, "reports/home.html", {"reports": report_list()})
