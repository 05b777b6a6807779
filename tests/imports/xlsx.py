"""Building XLSX test files as a spreadsheet holds them: dates as date cells, amounts as
numbers."""

import datetime

import xlsxwriter


def write_xlsx(path, rows, sheet="Feuille1", extra_sheets=()):
    workbook = xlsxwriter.Workbook(str(path))
    dates = workbook.add_format({"num_format": "dd/mm/yyyy"})
    money = workbook.add_format({"num_format": "# ##0.00"})
    worksheet = workbook.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                worksheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), dates)
            elif isinstance(value, float):
                worksheet.write_number(r, c, value, money)
            elif value is not None:
                worksheet.write(r, c, value)
    for name in extra_sheets:
        workbook.add_worksheet(name).write(0, 0, "notes")
    workbook.close()
    return path


D = datetime.date
LANDLORD_SAMPLE = [
    [
        "Référence locataire",
        "Nom",
        "Prénom",
        "Date de naissance",
        "Adresse",
        "Commune",
        "Date du signalement",
        "Dette locative",
        "Nb mois",
    ],
    ["SH-004512", "MOREAU", "Gaëlle", D(1990, 2, 1), "8 rue du Cœur Volant", "Le Mans", D(2010, 4, 14), 3980.40, 7],
    ["SH-004513", "BOULAY", "Thierry", D(1966, 9, 17), "2 allée des Tilleuls", "La Flèche", D(2010, 4, 14), 812.0, 3],
    [
        "SH-004514",
        "KONATÉ",
        "Mariam",
        D(1985, 12, 3),
        "19 boulevard Winston Churchill",
        "72181",
        D(2010, 5, 3),
        1520.75,
        4,
    ],
]
