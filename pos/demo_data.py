"""The demo venue's data: a Bucharest bistro with a small hotel upstairs.

Plain tuples, so a newcomer can read (and change) the menu without reading code.
Prices are bani, tax included: ``32_00`` is 32.00 RON. Romanian is written with
comma-below ș and ț (not the cedilla ş ţ).
"""

from __future__ import annotations

# code, names, position, fires_immediately
COURSES = (
    ("drinks", {"ro": "Băuturi", "en": "Drinks"}, 1, True),
    ("starters", {"ro": "Aperitive", "en": "Starters"}, 2, True),
    ("mains", {"ro": "Fel principal", "en": "Mains"}, 3, False),
    ("desserts", {"ro": "Desert", "en": "Desserts"}, 4, False),
)

# Fiscal tax groups (the fiscal printer's letters): A = 21 % standard, B = 11 % reduced.
# Restaurant food and non-alcoholic drinks take the reduced rate; alcohol the standard one.
TAX_RATES = (
    ("TVA 21%", 2100, "A"),
    ("TVA 11%", 1100, "B"),
)

# code, names, default course, tax group, colour (the tablet's button)
CATEGORIES = (
    ("soups", {"ro": "Ciorbe & supe", "en": "Soups"}, "starters", "B", "#c2410c"),
    ("starters", {"ro": "Aperitive", "en": "Starters"}, "starters", "B", "#ca8a04"),
    ("salads", {"ro": "Salate", "en": "Salads"}, "starters", "B", "#16a34a"),
    ("grill", {"ro": "Feluri principale (grătar)", "en": "Mains (grill)"}, "mains", "B",
     "#b91c1c"),
    ("pasta", {"ro": "Paste & risotto", "en": "Pasta & risotto"}, "mains", "B", "#d97706"),
    ("desserts", {"ro": "Deserturi", "en": "Desserts"}, "desserts", "B", "#db2777"),
    ("soft_drinks", {"ro": "Băuturi răcoritoare & cafea", "en": "Soft drinks & coffee"},
     "drinks", "B", "#0284c7"),
    ("wine_beer", {"ro": "Vin & bere", "en": "Wine & beer"}, "drinks", "A", "#7c3aed"),
)

# category → (PLU, Romanian, English, price in bani, allergens)
ITEMS = {
    "soups": (
        (101, "Ciorbă de burtă", "Tripe soup with sour cream", 32_00,
         ("milk", "eggs", "celery")),
        (102, "Ciorbă de perișoare", "Sour soup with meatballs", 29_00,
         ("gluten", "eggs", "celery")),
        (103, "Ciorbă de legume", "Vegetable sour soup", 24_00, ("gluten", "celery")),
        (104, "Ciorbă rădăuțeană", "Rădăuți chicken sour soup", 31_00,
         ("milk", "eggs", "celery")),
        (105, "Supă cremă de ciuperci", "Cream of mushroom soup", 27_00, ("milk", "celery")),
        (106, "Supă de pui cu tăiței de casă", "Chicken soup with homemade noodles", 26_00,
         ("gluten", "eggs", "celery")),
    ),
    "starters": (
        (201, "Platou țărănesc (2 persoane)", "Farmhouse platter (for two)", 79_00,
         ("gluten", "milk", "mustard", "sulphites")),
        (202, "Salată de vinete cu pâine de casă", "Aubergine spread with homemade bread",
         24_00, ("gluten",)),
        (203, "Zacuscă cu pâine de casă", "Zacuscă vegetable spread with homemade bread",
         22_00, ("gluten",)),
        (204, "Mici cu muștar (4 buc.)", "Grilled mici with mustard (4 pcs)", 34_00,
         ("gluten", "mustard")),
        (205, "Cașcaval pane", "Breaded fried cheese", 32_00, ("gluten", "eggs", "milk")),
        (206, "Tartar de vită", "Beef tartare", 62_00, ("gluten", "eggs", "fish", "mustard")),
        (207, "Ciuperci umplute la cuptor", "Baked stuffed mushrooms", 29_00, ("milk",)),
    ),
    "salads": (
        (301, "Salată Caesar cu pui", "Chicken Caesar salad", 46_00,
         ("gluten", "eggs", "fish", "milk", "mustard")),
        (302, "Salată grecească", "Greek salad", 39_00, ("milk",)),
        (303, "Salată cu ton", "Tuna salad", 44_00, ("eggs", "fish", "mustard")),
        (304, "Salată cu brânză de capră caldă", "Warm goat's cheese salad", 45_00,
         ("gluten", "milk", "nuts", "mustard")),
        (305, "Salată de sfeclă coaptă cu nuci", "Roast beetroot salad with walnuts", 36_00,
         ("milk", "nuts")),
        (306, "Salată de roșii cu castraveți", "Tomato and cucumber salad", 19_00, ()),
    ),
    "grill": (
        (401, "Antricot de vită (300 g)", "Rib-eye steak (300 g)", 139_00, ()),
        (402, "Mușchi de vită (250 g)", "Beef tenderloin steak (250 g)", 149_00, ()),
        (403, "Burger Masa cu vită maturată", "Masa dry-aged beef burger", 54_00,
         ("gluten", "eggs", "milk", "mustard", "sesame")),
        (404, "Ceafă de porc la grătar", "Grilled pork neck", 49_00, ()),
        (405, "Piept de pui la grătar", "Grilled chicken breast", 45_00, ()),
        (406, "Păstrăv la grătar", "Grilled trout", 62_00, ("fish",)),
        (407, "File de somon", "Salmon fillet", 84_00, ("fish",)),
        (408, "Pulpă de rață confiată cu varză roșie", "Duck leg confit with red cabbage",
         78_00, ("celery", "sulphites")),
        (409, "Coaste de porc BBQ", "BBQ pork ribs", 69_00, ("mustard", "celery", "soy")),
        (410, "Șnițel de pui", "Chicken schnitzel", 46_00, ("gluten", "eggs")),
        (411, "Sarmale cu mămăliguță și smântână",
         "Cabbage rolls with polenta and sour cream", 48_00, ("milk",)),
        (412, "Tochitură moldovenească", "Moldavian pork stew with polenta, egg and cheese",
         54_00, ("eggs", "milk")),
    ),
    "pasta": (
        (501, "Spaghete carbonara", "Spaghetti carbonara", 48_00, ("gluten", "eggs", "milk")),
        (502, "Penne all'arrabbiata", "Penne all'arrabbiata", 39_00, ("gluten",)),
        (503, "Tagliatelle cu ciuperci și trufe", "Tagliatelle with mushrooms and truffle",
         58_00, ("gluten", "eggs", "milk")),
        (504, "Risotto cu ciuperci de pădure", "Wild mushroom risotto", 52_00,
         ("milk", "celery", "sulphites")),
        (505, "Risotto cu fructe de mare", "Seafood risotto", 69_00,
         ("crustaceans", "molluscs", "fish", "milk", "celery", "sulphites")),
        (506, "Lasagna bolognese", "Lasagne bolognese", 49_00,
         ("gluten", "eggs", "milk", "celery")),
    ),
    "desserts": (
        (601, "Papanași cu smântână și dulceață", "Papanași with sour cream and jam", 34_00,
         ("gluten", "eggs", "milk")),
        (602, "Clătite cu dulceață de caise", "Crêpes with apricot jam", 26_00,
         ("gluten", "eggs", "milk")),
        (603, "Tort de ciocolată", "Chocolate cake", 32_00, ("gluten", "eggs", "milk", "soy")),
        (604, "Cheesecake cu fructe de pădure", "Cheesecake with forest berries", 33_00,
         ("gluten", "eggs", "milk")),
        (605, "Tiramisu", "Tiramisu", 31_00, ("gluten", "eggs", "milk")),
        (606, "Cremă de zahăr ars", "Crème caramel", 26_00, ("eggs", "milk")),
        (607, "Înghețată de casă (3 cupe)", "Homemade ice cream (3 scoops)", 24_00,
         ("eggs", "milk")),
    ),
    "soft_drinks": (
        (701, "Espresso", "Espresso", 12_00, ()),
        # The milk comes from the required milk choice, so its allergen follows the choice.
        (702, "Cappuccino", "Cappuccino", 16_00, ()),
        (703, "Caffè latte", "Caffè latte", 18_00, ()),
        (704, "Irish coffee", "Irish coffee", 32_00, ("milk",)),
        (705, "Limonadă de casă cu mentă (400 ml)", "Homemade mint lemonade (400 ml)", 22_00,
         ()),
        (706, "Apă plată (750 ml)", "Still water (750 ml)", 16_00, ()),
        (707, "Apă minerală (750 ml)", "Sparkling water (750 ml)", 16_00, ()),
        (708, "Coca-Cola (250 ml)", "Coca-Cola (250 ml)", 14_00, ()),
        (709, "Suc natural de portocale (300 ml)", "Fresh orange juice (300 ml)", 22_00, ()),
    ),
    "wine_beer": (
        (801, "Fetească Neagră, pahar (150 ml)", "Fetească Neagră, glass (150 ml)", 29_00,
         ("sulphites",)),
        (802, "Fetească Albă, pahar (150 ml)", "Fetească Albă, glass (150 ml)", 27_00,
         ("sulphites",)),
        (803, "Busuioacă de Bohotin, pahar (150 ml)", "Busuioacă de Bohotin rosé, glass (150 ml)",
         27_00, ("sulphites",)),
        (804, "Fetească Neagră, sticlă (750 ml)", "Fetească Neagră, bottle (750 ml)", 139_00,
         ("sulphites",)),
        (805, "Sauvignon Blanc, sticlă (750 ml)", "Sauvignon Blanc, bottle (750 ml)", 125_00,
         ("sulphites",)),
        (806, "Bere blondă la halbă (500 ml)", "Draught lager (500 ml)", 18_00, ("gluten",)),
        (807, "Bere artizanală IPA (330 ml)", "Craft IPA (330 ml)", 24_00, ("gluten",)),
        (808, "Bere fără alcool (330 ml)", "Alcohol-free beer (330 ml)", 15_00, ("gluten",)),
        (809, "Pălincă de prune (50 ml)", "Plum pálinka (50 ml)", 22_00, ()),
        (810, "Aperol Spritz", "Aperol Spritz", 38_00, ("sulphites",)),
    ),
}

# A few dishes say more on the tablet and the guest's QR menu.
DESCRIPTIONS = {
    101: ("Cu smântână, usturoi și ardei iute.", "With sour cream, garlic and chilli."),
    201: ("Slănină, cârnați de casă, telemea, cașcaval afumat, zacuscă și ceapă roșie.",
          "Smoked bacon, homemade sausages, telemea and smoked cheese, zacuscă, red onion."),
    401: ("Vită maturată 28 de zile, la grătar pe cărbune.",
          "Beef dry-aged for 28 days, grilled over charcoal."),
    403: ("Chiflă brioșă, vită maturată, cheddar, ceapă caramelizată, castraveți murați.",
          "Brioche bun, dry-aged beef, cheddar, caramelised onion, pickles."),
    411: ("Rețeta bunicii: varză murată, carne de porc, afumătură.",
          "Grandmother's recipe: sauerkraut, pork, smoked bacon."),
    601: ("Gogoși de brânză dulce, prăjite la comandă.",
          "Sweet cheese doughnuts, fried to order."),
    704: ("Whiskey irlandez, cafea, zahăr brun și frișcă.",
          "Irish whiskey, coffee, brown sugar and whipped cream."),
}

# An item taxed otherwise than its category (by tax group).
ITEM_TAX = {
    704: "A",  # Irish coffee holds whiskey: alcohol, standard rate
    808: "B",  # alcohol-free beer: a non-alcoholic drink, reduced rate
}

# code → (names, min, max, modifiers: (Romanian, English, price delta in bani, allergens))
MODIFIER_GROUPS = {
    "doneness": ({"ro": "Grad de gătire", "en": "Cooking degree"}, 1, 1, (
        ("În sânge", "Rare", 0, ()),
        ("Mediu spre în sânge", "Medium rare", 0, ()),
        ("Mediu", "Medium", 0, ()),
        ("Bine făcut", "Well done", 0, ()),
    )),
    "side": ({"ro": "Garnitură", "en": "Side"}, 1, 1, (
        ("Cartofi prăjiți", "French fries", 0, ()),
        ("Cartofi țărănești", "Country-style potatoes", 0, ()),
        ("Piure de cartofi", "Mashed potatoes", 0, ("milk",)),
        ("Orez cu legume", "Vegetable rice", 0, ("celery",)),
        ("Mămăliguță", "Polenta", 0, ()),
        ("Salată verde", "Green salad", 0, ()),
        ("Legume la grătar", "Grilled vegetables", 6_00, ()),
        ("Cartofi dulci prăjiți", "Sweet potato fries", 7_00, ()),
    )),
    "sauce": ({"ro": "Sos", "en": "Sauce"}, 0, 2, (
        ("Sos de piper verde", "Green peppercorn sauce", 9_00, ("milk", "sulphites")),
        ("Sos de ciuperci", "Mushroom sauce", 9_00, ("milk",)),
        ("Unt cu ierburi", "Herb butter", 6_00, ("milk",)),
        ("Mujdei", "Garlic sauce", 4_00, ()),
        ("Sos BBQ", "BBQ sauce", 5_00, ("mustard",)),
        ("Sos tartar", "Tartare sauce", 5_00, ("eggs", "mustard")),
    )),
    "extras": ({"ro": "Extra", "en": "Extras"}, 0, 3, (
        ("Cașcaval extra", "Extra cheese", 6_00, ("milk",)),
        ("Bacon", "Bacon", 7_00, ()),
        ("Ou ochi", "Fried egg", 5_00, ("eggs",)),
        ("Ciuperci", "Mushrooms", 5_00, ()),
        ("Ardei jalapeño", "Jalapeños", 4_00, ()),
        ("Parmezan extra", "Extra parmesan", 6_00, ("milk",)),
    )),
    "without": ({"ro": "Fără", "en": "Without"}, 0, 6, (
        ("Fără ceapă", "No onion", 0, ()),
        ("Fără usturoi", "No garlic", 0, ()),
        ("Fără roșii", "No tomato", 0, ()),
        ("Fără castraveți murați", "No pickles", 0, ()),
        ("Fără sos", "No sauce", 0, ()),
        ("Fără ardei iute", "No chilli", 0, ()),
    )),
    "soup_serving": ({"ro": "Servire ciorbă", "en": "Soup serving"}, 0, 3, (
        ("Fără smântână", "No sour cream", 0, ()),
        ("Fără ardei iute", "No chilli pepper", 0, ()),
        ("Fără pâine", "No bread", 0, ()),
    )),
    "milk": ({"ro": "Lapte", "en": "Milk"}, 1, 1, (
        ("Lapte de vacă", "Cow's milk", 0, ("milk",)),
        ("Lapte fără lactoză", "Lactose-free milk", 0, ("milk",)),
        ("Lapte de ovăz", "Oat milk", 3_00, ("gluten",)),
        ("Lapte de soia", "Soy milk", 3_00, ("soy",)),
        ("Lapte de migdale", "Almond milk", 3_00, ("nuts",)),
    )),
    "ice_lemon": ({"ro": "Gheață și lămâie", "en": "Ice and lemon"}, 0, 2, (
        ("Cu gheață", "With ice", 0, ()),
        ("Cu lămâie", "With lemon", 0, ()),
    )),
}

# PLU → the questions asked when the item is rung in, in the order asked.
ITEM_MODIFIER_GROUPS = {
    101: ("soup_serving",), 102: ("soup_serving",), 103: ("soup_serving",),
    104: ("soup_serving",),
    301: ("without",), 302: ("without",), 303: ("without",), 304: ("without",),
    305: ("without",),
    401: ("doneness", "side", "sauce"),
    402: ("doneness", "side", "sauce"),
    403: ("doneness", "side", "extras", "without"),
    404: ("side", "sauce"), 405: ("side", "sauce"), 406: ("side", "sauce"),
    407: ("side", "sauce"), 409: ("side",), 410: ("side", "sauce"),
    501: ("extras", "without"), 502: ("extras", "without"), 503: ("extras",),
    506: ("extras",),
    702: ("milk",), 703: ("milk",),
    706: ("ice_lemon",), 707: ("ice_lemon",), 708: ("ice_lemon",),
}

# code, names, position, is_expo, warn after (s), late after (s)
STATIONS = (
    ("grill", {"ro": "Grătar", "en": "Grill"}, 1, False, 10 * 60, 15 * 60),
    ("cold", {"ro": "Bucătărie rece", "en": "Cold kitchen"}, 2, False, 6 * 60, 10 * 60),
    ("pastry", {"ro": "Patiserie", "en": "Pastry"}, 3, False, 6 * 60, 10 * 60),
    ("bar", {"ro": "Bar", "en": "Bar"}, 4, False, 3 * 60, 6 * 60),
    ("expo", {"ro": "Pass", "en": "Expo"}, 5, True, 15 * 60, 20 * 60),
)

# category → stations that make its items (unless the item has its own rule below)
CATEGORY_STATIONS = {
    "soups": ("grill",),  # the hot line
    "starters": ("cold",),
    "salads": ("cold",),
    "grill": ("grill",),
    "pasta": ("grill",),
    "desserts": ("pastry",),
    "soft_drinks": ("bar",),
    "wine_beer": ("bar",),
}

# Menu schedules: names, days, start, end, PLU → price while it runs. Happy hour prices
# only the craft and alcohol-free beers (the draught lager, which many tests order, keeps
# its price at any hour: no test depends on the clock).
SCHEDULES = (
    ({"ro": "Happy hour", "en": "Happy hour"}, ("mon", "tue", "wed", "thu", "fri"),
     "17:00", "19:00", {807: 19_00, 808: 12_00}),
)

# PLU → stations, replacing the category's rule.
ITEM_STATIONS = {
    204: ("grill",),  # mici come off the grill
    205: ("grill",),  # fried on the hot line
    207: ("grill",),  # baked on the hot line
    301: ("cold", "grill"),  # the salad is dressed cold, the chicken grilled
}

# code, names, position
FLOORS = (
    ("salon", {"ro": "Salon", "en": "Dining room"}, 1),
    ("terrace", {"ro": "Terasă", "en": "Terrace"}, 2),
)

# name, floor, the demo waiter who covers it
SECTIONS = (
    ("Salon: fereastră", "salon", "Ana Popescu"),
    ("Salon: bar", "salon", "Mihai Ionescu"),
    ("Terasă", "terrace", "John Miller"),
)

# Plan units: each floor is a 100 × 100 grid. Two-tops are 8 × 8, four-tops 10 × 10,
# six-tops 18 × 10, eight-tops 24 × 12; rows and neighbours keep an aisle of 6 or more.
# name, floor, section, seats, shape, x, y, width, height
TABLES = (
    # Salon, along the windows
    ("1", "salon", "Salon: fereastră", 2, "round", 6, 6, 8, 8),
    ("2", "salon", "Salon: fereastră", 2, "round", 20, 6, 8, 8),
    ("3", "salon", "Salon: fereastră", 4, "square", 34, 5, 10, 10),
    ("4", "salon", "Salon: fereastră", 4, "square", 50, 5, 10, 10),
    ("5", "salon", "Salon: fereastră", 4, "square", 66, 5, 10, 10),
    ("6", "salon", "Salon: fereastră", 2, "round", 82, 6, 8, 8),
    # Salon, the middle and the bar side (the bar itself stands at the bottom right)
    ("7", "salon", "Salon: bar", 6, "rectangle", 6, 28, 18, 10),
    ("8", "salon", "Salon: bar", 4, "round", 32, 28, 10, 10),
    ("9", "salon", "Salon: bar", 6, "rectangle", 50, 28, 18, 10),
    ("10", "salon", "Salon: bar", 4, "square", 76, 28, 10, 10),
    ("11", "salon", "Salon: bar", 8, "rectangle", 6, 52, 24, 12),
    ("12", "salon", "Salon: bar", 6, "rectangle", 38, 52, 18, 10),
    # Terasă
    ("13", "terrace", "Terasă", 2, "round", 6, 8, 8, 8),
    ("14", "terrace", "Terasă", 2, "round", 22, 8, 8, 8),
    ("15", "terrace", "Terasă", 4, "square", 38, 7, 10, 10),
    ("16", "terrace", "Terasă", 4, "square", 56, 7, 10, 10),
    ("17", "terrace", "Terasă", 4, "round", 74, 7, 10, 10),
    ("18", "terrace", "Terasă", 6, "rectangle", 6, 34, 18, 10),
    ("19", "terrace", "Terasă", 8, "rectangle", 34, 34, 24, 12),
    ("20", "terrace", "Terasă", 6, "rectangle", 68, 34, 18, 10),
)

# number, kind
ROOMS = (
    ("101", "single"), ("102", "double"), ("103", "double"), ("104", "double"),
    ("105", "single"), ("106", "suite"),
    ("201", "single"), ("202", "double"), ("203", "double"), ("204", "double"),
    ("205", "double"), ("206", "suite"),
)

# room, guest, email, phone, language, arrival and departure (days from today), status,
# no_post, credit limit (bani). Room 205 expects a guest today; suite 206 is free.
STAYS = (
    ("101", "Ion Popa", "ion.popa@example.ro", "+40 722 111 222", "ro", -2, 1,
     "in_house", False, None),
    ("102", "Sophie Laurent", "sophie.laurent@example.fr", "+33 6 12 34 56 78", "fr", -1, 3,
     "in_house", False, None),
    ("103", "Hans Müller", "hans.mueller@example.de", "+49 151 2345 6789", "de", 0, 2,
     "in_house", False, None),
    ("104", "Alexandra Constantinescu", "alexandra.c@example.ro", "+40 733 456 789", "ro",
     -3, 2, "in_house", False, 800_00),
    # Company booking that pays only the room: nothing may be posted to it.
    ("105", "James O'Connor", "j.oconnor@example.co.uk", "+44 7700 900123", "en", -1, 1,
     "in_house", True, None),
    ("106", "Giulia Rossi", "giulia.rossi@example.it", "+39 347 123 4567", "it", -2, 5,
     "in_house", False, None),
    ("201", "Cătălin Bogdan", "catalin.bogdan@example.ro", "+40 744 222 333", "ro", -1, 2,
     "in_house", False, None),
    ("202", "Emma Johansson", "emma.johansson@example.se", "+46 70 123 45 67", "en", -4, 1,
     "in_house", False, None),
    ("203", "Takeshi Yamamoto", "t.yamamoto@example.jp", "+81 90 1234 5678", "en", 0, 3,
     "in_house", False, None),
    ("204", "Gabriela Dobre", "gabriela.dobre@example.ro", "+40 755 987 654", "ro", -2, 4,
     "in_house", False, 1500_00),
    ("205", "Pierre Dubois", "pierre.dubois@example.fr", "+33 6 98 76 54 32", "fr", 0, 2,
     "reserved", False, None),
    ("206", "Laura Ionescu", "laura.ionescu@example.ro", "+40 766 555 444", "ro", -3, 0,
     "checked_out", False, None),
)
