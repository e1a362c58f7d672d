"""Choice widgets with Django's markup, rendered without a template include per option.

Django renders a select as one template per option (and a checkbox or radio list as three per
option: the option, its input, its attributes); with a hundred skills or fifty colleagues to
choose from, that was a large part of a form page's time even with the Jinja2 form templates
(issue 10). These widgets render the same markup from one Jinja2 template each
(`core/jinja2/core/widgets/`), with the options inlined; `core/tests/test_widgets.py` checks
that the markup is exactly Django's. Use them for fields with many options.
"""

from django import forms


class Select(forms.Select):
    template_name = "core/widgets/select.html"


class SelectMultiple(forms.SelectMultiple):
    template_name = "core/widgets/select.html"


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    template_name = "core/widgets/multiple_input.html"
    # Also each choice on its own, as core/form_fields.html renders them ({{ choice.tag }}).
    option_template_name = "core/widgets/input_option.html"


class RadioSelect(forms.RadioSelect):
    template_name = "core/widgets/multiple_input.html"
    option_template_name = "core/widgets/input_option.html"
