"""Display: strings (locale files), number formats, labels, narrative, charts and exports shared
by the app and the report. It formats what ``analysis`` computed; it computes nothing new.
"""
