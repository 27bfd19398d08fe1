"""Each language's own way of writing a date (settings.FORMAT_MODULE_PATH), where Django's built-in formats do not
fit a Dutch public service: English as written in Europe (29 November 2026, not Nov. 29), Polish and Ukrainian with
the month in the genitive (29 listopada), Bulgarian with "г.", and short dates as digits instead of capitalised
month abbreviations. Romanian and Bulgarian month names are lower case (lib/month_names.py).
"""
