"""Widgets of the SafeStats dock. They only collect choices and show results; the work is in core/."""
