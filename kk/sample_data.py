"""Deterministic, realistic German sample customers for `kk demo` and the benchmarks.

The output is a pure function of ``(n, seed)``: rows come in chunks of :data:`CHUNK`, each
drawn from its own ``Random(f"kk-sample:{seed}:{chunk}")``, so the first k rows of n are the
rows of k, and a worker may produce any chunk alone. Persons, bank accounts and consents come
from a second random stream per chunk; :func:`customer_rows` skips that stream (the CSV of the
benchmarks holds only customer keys) and its rows equal :func:`customers` without those three
keys.

Every value passes the libraries kk validates with: VAT IDs (DE ISO 7064 mod 11,10, ATU Luhn,
CHE mod 11), Handelsregister entries at the court that really keeps the city's register,
Steuernummern in the regional layout of the city's Land, IBANs (mod 97) over real bank codes
with their BICs, phone numbers with real area codes and mobile prefixes, real postal codes
(leading zeros kept: ``01067``). Values are strings as a user would type them; the importer
normalises them. The pitfalls an importer must survive are in on purpose: notes with commas,
``;``, double quotes and newlines; umlauts and ß; many rows with the same name ("Müller,
Thomas"); Müller as ~7 % of last names, "Nüßl" rare.

Speed, measured on the 2-core dev machine (Python 3.11) while other test runs kept its load
average at 3-5: 1,000,000 rows written as CSV by ``bench/gen_customers.py`` cost 25 s of CPU
(about 17 s of it here in :func:`customer_rows`, the rest CSV text) and took 36-45 s wall
clock; ``--jobs 2`` splits the work over two processes with byte-identical output.
:func:`customers` with persons, bank accounts and consents costs about 2.5x per row (the
demo's 200 rows: ~20 ms).
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable, Iterator
from random import Random
from typing import Any

__all__ = [
    "CHUNK",
    "CUSTOMER_KEYS",
    "customer_chunk",
    "customer_rows",
    "customers",
    "demo_customers",
]

#: Rows per random stream; changing it changes every row after the first chunk.
CHUNK = 10_000

#: The customer keys every row has, in kk's export order (the CSV header of the benchmarks).
CUSTOMER_KEYS: tuple[str, ...] = (
    "kind", "company_name", "register_number", "vat_id", "tax_number", "salutation", "title",
    "first_name", "last_name", "email", "phone", "mobile", "website", "street", "postal_code",
    "city", "country", "notes", "discount_percent", "roles", "labels", "do_not_contact",
    "created_at",
)  # fmt: skip

# --- names ---------------------------------------------------------------------------------

# Weights give the real skew: Müller is the most common name (~7 % of rows with a surname
# once the "Thomas Müller" namesakes are added); Nüßl is rare on purpose (a search term).
_LAST_NAMES_W = (
    ("Müller", 24), ("Schmidt", 24), ("Schneider", 14), ("Fischer", 13), ("Weber", 12),
    ("Meyer", 11), ("Wagner", 10), ("Becker", 9), ("Schulz", 9), ("Hoffmann", 9),
    ("Schäfer", 8), ("Koch", 7), ("Bauer", 7), ("Richter", 7), ("Klein", 7),
    ("Wolf", 6), ("Schröder", 6), ("Neumann", 6), ("Schwarz", 6), ("Zimmermann", 6),
    ("Braun", 5), ("Krüger", 5), ("Hofmann", 5), ("Hartmann", 5), ("Lange", 5),
    ("Schmitt", 5), ("Werner", 5), ("Schmitz", 5), ("Krause", 5), ("Meier", 5),
    ("Lehmann", 4), ("Schmid", 4), ("Schulze", 4), ("Maier", 4), ("Köhler", 4),
    ("Herrmann", 4), ("König", 4), ("Walter", 4), ("Mayer", 4), ("Huber", 4),
    ("Kaiser", 3), ("Fuchs", 3), ("Peters", 3), ("Lang", 3), ("Scholz", 3),
    ("Möller", 3), ("Weiß", 3), ("Jung", 3), ("Hahn", 3), ("Schubert", 3),
    ("Vogel", 3), ("Friedrich", 3), ("Keller", 3), ("Günther", 3), ("Frank", 3),
    ("Berger", 3), ("Winkler", 3), ("Roth", 3), ("Beck", 3), ("Lorenz", 3),
    ("Baumann", 2), ("Franke", 2), ("Albrecht", 2), ("Schuster", 2), ("Simon", 2),
    ("Ludwig", 2), ("Böhm", 2), ("Winter", 2), ("Kraus", 2), ("Martin", 2),
    ("Schumacher", 2), ("Krämer", 2), ("Vogt", 2), ("Stein", 2), ("Jäger", 2),
    ("Otto", 2), ("Sommer", 2), ("Groß", 2), ("Seidel", 2), ("Heinrich", 2),
    ("Brandt", 2), ("Haas", 2), ("Schreiber", 2), ("Graf", 2), ("Schulte", 2),
    ("Dietrich", 2), ("Ziegler", 2), ("Kuhn", 2), ("Kühn", 2), ("Pohl", 2),
    ("Engel", 2), ("Horn", 2), ("Busch", 2), ("Bergmann", 2), ("Thomas", 2),
    ("Voigt", 2), ("Sauer", 2), ("Arnold", 2), ("Wolff", 2), ("Pfeiffer", 2),
    ("Strauß", 1), ("Gößling", 1), ("Hölzl", 1), ("Nüßlein", 1), ("Büttner", 1),
    ("Dührkoop", 1), ("Lührs", 1), ("Schürmann", 1), ("Göbel", 1), ("Rößler", 1),
    ("Öztürk", 2), ("Yılmaz", 2), ("Kowalski", 1), ("Nowak", 1), ("Popović", 1),
    ("Nguyen", 1), ("Rossi", 1), ("Papadopoulos", 1), ("Müller-Lüdenscheidt", 1),
    ("von Bülow", 1), ("Dörfler", 1), ("Fußmann", 1), ("Großkopf", 1), ("Mühlbauer", 1),
    ("Nüßl", 1), ("Çelik", 1), ("Ahrens", 1), ("Heß", 1), ("Jürgensen", 1),
)  # fmt: skip
_FIRST_M_W = (
    ("Thomas", 6), ("Michael", 6), ("Andreas", 5), ("Stefan", 5), ("Frank", 3), ("Peter", 3),
    ("Jürgen", 3), ("Klaus", 3), ("Uwe", 2), ("Markus", 3), ("Matthias", 3), ("Wolfgang", 3),
    ("Jörg", 2), ("Günther", 1), ("Björn", 1), ("Sören", 1), ("Lukas", 2), ("Jonas", 2),
    ("Leon", 2), ("Maximilian", 2), ("Felix", 2), ("Paul", 2), ("Jan", 2), ("Tim", 2),
    ("Niklas", 1), ("Tobias", 2), ("Florian", 2), ("Dieter", 2), ("Hans-Jürgen", 1),
    ("Karl-Heinz", 1), ("Bernd", 2), ("Rüdiger", 1), ("Horst", 1), ("Mehmet", 1), ("Ali", 1),
    ("Özcan", 1), ("Piotr", 1), ("Luca", 1), ("Noah", 1), ("Ben", 1), ("Elias", 1),
)  # fmt: skip
_FIRST_F_W = (
    ("Sabine", 5), ("Petra", 4), ("Julia", 4), ("Andrea", 4), ("Claudia", 3), ("Monika", 3),
    ("Ursula", 3), ("Brigitte", 2), ("Anna", 3), ("Lena", 2), ("Laura", 2), ("Sarah", 2),
    ("Lea", 2), ("Hannah", 2), ("Sophie", 2), ("Marie", 2), ("Emilia", 1), ("Mia", 2),
    ("Katharina", 2), ("Christine", 2), ("Birgit", 2), ("Gisela", 1), ("Hildegard", 1),
    ("Renate", 1), ("Käthe", 1), ("Dörte", 1), ("Jördis", 1), ("Gönül", 1), ("Ayşe", 1),
    ("Zoë", 1), ("Chloé", 1), ("Annegret", 1), ("Maren", 1), ("Silke", 2), ("Heike", 2),
    ("Doris", 1), ("Bärbel", 1), ("Jutta", 1), ("Elke", 1), ("Frauke", 1), ("Wiebke", 1),
    ("Agnieszka", 1), ("Mila", 1),
)  # fmt: skip
_FIRST_N = ("Alex", "Kim", "Robin", "Sascha", "Toni", "Luca", "Charlie", "Jo")
#: Share of private customers who are "Müller, Thomas": a name list must tell them apart.
_NAMESAKE_SHARE = 0.04

# --- places --------------------------------------------------------------------------------

# Tax office (Steuernummer) layouts per Land, regional form as printed on letters
# (F = Finanzamt, B = district, U = serial, P = check digit; stdnum.de.stnr knows them).
_STNR = {
    "BW": "FFBBB/UUUUP", "BY": "FFF/BBB/UUUUP", "BE": "FF/BBB/UUUUP", "BB": "0FF/BBB/UUUUP",
    "HB": "FF BBB UUUUP", "HH": "FF/BBB/UUUUP", "HE": "0FF BBB UUUUP", "MV": "0FF/BBB/UUUUP",
    "NI": "FF/BBB/UUUUP", "NW": "FFF/BBBB/UUUP", "RP": "FF/BBB/UUUUP", "SL": "0FF/BBB/UUUUP",
    "SN": "2FF/BBB/UUUUP", "ST": "1FF/BBB/UUUUP", "SH": "FF BBB UUUUP", "TH": "1FF/BBB/UUUUP",
}  # fmt: skip
_REGION_LABEL = {
    "HH": "Nord", "HB": "Nord", "SH": "Nord", "NI": "Nord", "MV": "Nord", "BY": "Süd",
    "BW": "Süd", "BE": "Ost", "BB": "Ost", "SN": "Ost", "ST": "Ost", "TH": "Ost", "NW": "West",
    "HE": "West", "RP": "West", "SL": "West",
}  # fmt: skip

# city, weight, Land, Registergericht, area code, real postal codes
_DE_CITIES: tuple[tuple[str, int, str, str, str, str], ...] = (
    ("Berlin", 37, "BE", "Berlin (Charlottenburg)", "30",
     "10115 10117 10119 10178 10179 10243 10245 10247 10249 10405 10407 10409 10435 10437 "
     "10439 10551 10553 10555 10557 10559 10585 10587 10589 10623 10625 10627 10629 10707 "
     "10709 10711 10713 10715 10717 10719 10777 10779 10781 10783 10785 10787 10789 10823 "
     "10825 10827 10829 10961 10963 10965 10967 10969 10997 10999 12043 12045 12047 12049 "
     "12051 12053 12055 12057 12059 12099 12101 12103 12105 12107 12109 12157 12159 12161 "
     "12163 12165 12167 12169 12203 12205 12207 12209 12247 12249 12277 12279 12305 12307 "
     "12309 12347 12349 12351 12353 12355 12357 12359 12435 12437 12439 12459 12487 12489 "
     "12524 12526 12527 12555 12557 12559 12587 12589 12619 12621 12623 12627 12629 12679 "
     "12681 12683 12685 12687 12689 13051 13053 13055 13057 13059 13086 13088 13089 13125 "
     "13127 13129 13156 13158 13159 13187 13189 13347 13349 13351 13353 13355 13357 13359 "
     "13403 13405 13407 13409 13435 13437 13439 13465 13467 13469 13503 13505 13507 13509 "
     "13581 13583 13585 13587 13589 13591 13593 13595 13597 13599 13627 13629 14050 14052 "
     "14053 14055 14057 14059 14089 14109 14129 14163 14165 14167 14169 14193 14195 14197 "
     "14199"),
    ("Hamburg", 18, "HH", "Hamburg", "40",
     "20095 20097 20099 20144 20146 20148 20149 20249 20251 20253 20255 20257 20259 20354 "
     "20355 20357 20359 20457 20459 20535 20537 20539 21029 21031 21033 21073 21075 21077 "
     "21079 22041 22043 22045 22047 22049 22081 22083 22085 22087 22089 22111 22115 22117 "
     "22119 22143 22145 22147 22149 22159 22175 22177 22179 22297 22299 22301 22303 22305 "
     "22307 22309 22335 22337 22339 22359 22391 22393 22395 22399 22415 22417 22419 22453 "
     "22455 22457 22459 22523 22525 22527 22529 22547 22549 22559 22587 22589 22605 22607 "
     "22609 22761 22763 22765 22767 22769"),
    ("München", 15, "BY", "München", "89",
     "80331 80333 80335 80336 80337 80339 80469 80538 80539 80634 80636 80637 80638 80639 "
     "80686 80687 80689 80796 80797 80798 80799 80801 80802 80803 80804 80805 80807 80809 "
     "80933 80935 80937 80939 80992 80993 80995 80997 80999 81241 81243 81245 81247 81249 "
     "81369 81371 81373 81375 81377 81379 81475 81476 81477 81479 81539 81541 81543 81545 "
     "81547 81549 81667 81669 81671 81673 81675 81677 81679 81735 81737 81739 81825 81827 "
     "81829 81925 81927 81929"),
    ("Köln", 11, "NW", "Köln", "221",
     "50667 50668 50670 50672 50674 50676 50677 50678 50679 50733 50735 50737 50739 50765 "
     "50767 50769 50823 50825 50827 50829 50858 50859 50931 50933 50935 50937 50939 50968 "
     "50969 50996 50997 50999 51061 51063 51065 51067 51069 51103 51105 51107 51109 51143 "
     "51145 51147 51149"),
    ("Frankfurt am Main", 8, "HE", "Frankfurt am Main", "69",
     "60306 60308 60310 60311 60312 60313 60314 60316 60318 60320 60322 60323 60325 60326 "
     "60327 60329 60385 60386 60388 60389 60431 60433 60435 60437 60438 60439 60486 60487 "
     "60488 60489 60528 60529 60549 60594 60596 60598 60599 65929 65931 65933 65934 65936"),
    ("Stuttgart", 6, "BW", "Stuttgart", "711",
     "70173 70174 70176 70178 70180 70182 70184 70186 70188 70190 70191 70192 70193 70195 "
     "70197 70199 70327 70329 70372 70374 70376 70378 70435 70437 70439 70469 70499 70563 "
     "70565 70567 70569 70597 70599 70619 70629"),
    ("Düsseldorf", 6, "NW", "Düsseldorf", "211",
     "40210 40211 40212 40213 40215 40217 40219 40221 40223 40225 40227 40229 40231 40233 "
     "40235 40237 40239 40468 40470 40472 40474 40476 40477 40479 40489 40545 40547 40549 "
     "40589 40591 40593 40595 40597 40599 40625 40627 40629"),
    ("Leipzig", 6, "SN", "Leipzig", "341",
     "04103 04105 04107 04109 04129 04155 04157 04158 04159 04177 04178 04179 04205 04207 "
     "04209 04229 04249 04275 04277 04279 04288 04289 04299 04315 04316 04317 04318 04319 "
     "04328 04329 04347 04349 04356 04357"),
    ("Dresden", 6, "SN", "Dresden", "351",
     "01067 01069 01097 01099 01108 01109 01127 01129 01139 01156 01157 01159 01169 01187 "
     "01189 01217 01219 01237 01239 01257 01259 01277 01279 01307 01309 01324 01326 01328"),
    ("Nürnberg", 5, "BY", "Nürnberg", "911",
     "90402 90403 90408 90409 90411 90419 90425 90427 90429 90431 90439 90441 90443 90449 "
     "90451 90453 90455 90459 90461 90469 90471 90473 90475 90478 90480 90482 90489 90491"),
    ("Hannover", 5, "NI", "Hannover", "511",
     "30159 30161 30163 30165 30167 30169 30171 30173 30175 30177 30179 30419 30449 30451 "
     "30453 30455 30457 30459 30519 30521 30539 30559 30625 30627 30629 30655 30657 30659 "
     "30669"),
    ("Bremen", 4, "HB", "Bremen", "421",
     "28195 28197 28199 28201 28203 28205 28207 28209 28211 28213 28215 28217 28219 28237 "
     "28239 28259 28277 28279 28307 28309 28325 28327 28329 28355 28357 28359 28717 28719 "
     "28755 28757 28759 28777 28779"),
    ("Essen", 4, "NW", "Essen", "201",
     "45127 45128 45130 45131 45133 45134 45136 45138 45139 45141 45143 45144 45145 45147 "
     "45149 45219 45239 45257 45259 45276 45277 45279 45289 45307 45309 45326 45327 45329 "
     "45355 45356 45357 45359"),
    ("Dortmund", 4, "NW", "Dortmund", "231",
     "44135 44137 44139 44141 44143 44145 44147 44149 44225 44227 44229 44263 44265 44267 "
     "44269 44287 44289 44309 44319 44328 44329 44339 44357 44359 44369 44379 44388"),
    ("Chemnitz", 3, "SN", "Chemnitz", "371",
     "09111 09112 09113 09114 09116 09117 09119 09120 09122 09123 09125 09126 09127 09128 "
     "09130 09131"),
    ("Halle (Saale)", 2, "ST", "Stendal", "345",
     "06108 06110 06112 06114 06116 06118 06120 06122 06124 06126 06128 06130 06132"),
    ("Magdeburg", 2, "ST", "Stendal", "391",
     "39104 39106 39108 39110 39112 39114 39116 39118 39120 39122 39124 39126 39128 39130"),
    ("Erfurt", 2, "TH", "Jena", "361",
     "99084 99085 99086 99087 99089 99091 99092 99094 99096 99097 99098 99099"),
    ("Jena", 1, "TH", "Jena", "3641", "07743 07745 07747 07749 07751"),
    ("Weimar", 1, "TH", "Jena", "3643", "99423 99425 99427"),
    ("Potsdam", 2, "BB", "Potsdam", "331", "14467 14469 14471 14473 14476 14478 14480 14482"),
    ("Cottbus", 1, "BB", "Cottbus", "355",
     "03042 03044 03046 03048 03050 03051 03052 03053 03054 03055"),
    ("Frankfurt (Oder)", 1, "BB", "Frankfurt/Oder", "335", "15230 15232 15234 15236"),
    ("Königs Wusterhausen", 1, "BB", "Cottbus", "3375", "15711"),
    ("Rostock", 2, "MV", "Rostock", "381",
     "18055 18057 18059 18069 18106 18107 18109 18119 18146 18147"),
    ("Kiel", 2, "SH", "Kiel", "431",
     "24103 24105 24106 24107 24109 24111 24113 24114 24116 24118 24143 24145 24146 24147 "
     "24148 24149 24159"),
    ("Lübeck", 2, "SH", "Lübeck", "451",
     "23552 23554 23556 23558 23560 23562 23564 23566 23568 23569 23570"),
    ("Flensburg", 1, "SH", "Flensburg", "461", "24937 24939 24941 24943 24944"),
    ("Münster", 3, "NW", "Münster", "251",
     "48143 48145 48147 48149 48151 48153 48155 48157 48159 48161 48163 48165 48167"),
    ("Bochum", 3, "NW", "Bochum", "234",
     "44787 44789 44791 44793 44795 44797 44799 44801 44803 44805 44807 44809 44866 44867 "
     "44869 44879 44892 44894"),
    ("Bonn", 3, "NW", "Bonn", "228",
     "53111 53113 53115 53117 53119 53121 53123 53125 53127 53129 53173 53175 53177 53179 "
     "53225 53227 53229"),
    ("Aachen", 2, "NW", "Aachen", "241",
     "52062 52064 52066 52068 52070 52072 52074 52076 52078 52080"),
    ("Würselen", 1, "NW", "Aachen", "2405", "52146"),
    ("Paderborn", 1, "NW", "Paderborn", "5251", "33098 33100 33102 33104 33106"),
    ("Freiburg im Breisgau", 2, "BW", "Freiburg", "761",
     "79098 79100 79102 79104 79106 79108 79110 79111 79112 79114 79115 79117"),
    ("Heidelberg", 2, "BW", "Mannheim", "6221",
     "69115 69117 69118 69120 69121 69123 69124 69126"),
    ("Tübingen", 1, "BW", "Stuttgart", "7071", "72070 72072 72074 72076"),
    ("Überlingen", 1, "BW", "Freiburg", "7551", "88662"),
    ("Öhringen", 1, "BW", "Stuttgart", "7941", "74613"),
    ("Würzburg", 1, "BY", "Würzburg", "931", "97070 97072 97074 97076 97078 97080 97082 97084"),
    ("Augsburg", 2, "BY", "Augsburg", "821",
     "86150 86152 86153 86154 86156 86157 86159 86161 86163 86165 86167 86169 86179 86199"),
    ("Regensburg", 2, "BY", "Regensburg", "941", "93047 93049 93051 93053 93055 93057 93059"),
    ("Fürth", 1, "BY", "Fürth", "911", "90762 90763 90765 90766 90768"),
    ("Bad Tölz", 1, "BY", "München", "8041", "83646"),
    ("Garmisch-Partenkirchen", 1, "BY", "München", "8821", "82467"),
    ("Fürstenfeldbruck", 1, "BY", "München", "8141", "82256"),
    ("Mainz", 2, "RP", "Mainz", "6131",
     "55116 55118 55120 55122 55124 55126 55127 55128 55129 55130 55131"),
    ("Wiesbaden", 2, "HE", "Wiesbaden", "611",
     "65183 65185 65187 65189 65191 65193 65195 65197 65199 65201 65203 65205 65207"),
    ("Kassel", 2, "HE", "Kassel", "561",
     "34117 34119 34121 34123 34125 34127 34128 34130 34131 34132 34134"),
    ("Gießen", 1, "HE", "Gießen", "641", "35390 35392 35394 35396 35398"),
    ("Rüsselsheim am Main", 1, "HE", "Darmstadt", "6142", "65428"),
    ("Saarbrücken", 2, "SL", "Saarbrücken", "681",
     "66111 66113 66115 66117 66119 66121 66123 66125 66126 66127 66128 66129 66130 66131 "
     "66132 66133"),
    ("Braunschweig", 2, "NI", "Braunschweig", "531",
     "38100 38102 38104 38106 38108 38110 38112 38114 38116 38118 38120 38122 38124 38126"),
    ("Osnabrück", 2, "NI", "Osnabrück", "541",
     "49074 49076 49078 49080 49082 49084 49086 49088 49090"),
    ("Göttingen", 1, "NI", "Göttingen", "551", "37073 37075 37077 37079 37081 37083 37085"),
    ("Lüneburg", 1, "NI", "Lüneburg", "4131", "21335 21337 21339"),
    ("Görlitz", 1, "SN", "Dresden", "3581", "02826 02827 02828"),
    ("Zwickau", 1, "SN", "Chemnitz", "375", "08056 08058 08060 08062 08064 08066"),
)  # fmt: skip

# Austria and Switzerland: city, weight, country, area code, postal codes (4 digits)
_FOREIGN_CITIES: tuple[tuple[str, int, str, str, str], ...] = (
    ("Wien", 6, "AT", "1", "1010 1020 1030 1040 1050 1060 1070 1080 1090 1100 1120 1130 1150 "
     "1160 1180 1190 1200 1210 1220 1230"),
    ("Graz", 2, "AT", "316", "8010 8020 8036 8041 8042 8045 8051 8053 8054"),
    ("Linz", 2, "AT", "732", "4020 4030 4040"),
    ("Salzburg", 2, "AT", "662", "5020 5023 5026"),
    ("Innsbruck", 1, "AT", "512", "6020"),
    ("Klagenfurt am Wörthersee", 1, "AT", "463", "9020"),
    ("Zürich", 3, "CH", "44", "8001 8002 8003 8004 8005 8006 8008 8032 8037 8045 8050"),
    ("Bern", 1, "CH", "31", "3011 3012 3013 3014 3018"),
    ("Basel", 1, "CH", "61", "4051 4052 4053 4055 4056 4057"),
    ("St. Gallen", 1, "CH", "71", "9000 9008"),
    ("Luzern", 1, "CH", "41", "6003 6004 6005"),
    ("Winterthur", 1, "CH", "52", "8400 8404 8406"),
)  # fmt: skip
_FOREIGN_SHARE = 0.03

_STREETS_DE = (
    "Hauptstraße", "Bahnhofstraße", "Königstraße", "Schloßallee", "Mühlenweg", "Lindenstraße",
    "Gartenstraße", "Königsallee", "Am Güterbahnhof", "Friedrich-Ebert-Straße", "Goethestraße",
    "Schillerstraße", "Kirchgasse", "Burgstraße", "Tübinger Straße", "Münchner Straße",
    "Kölner Straße", "Grüner Weg", "Fährstraße", "Brückenstraße", "Am Mühlbach",
    "Hölderlinweg", "Dorfstraße", "Ringstraße", "Jahnstraße", "Industriestraße",
    "Gewerbepark Süd", "Marktplatz", "Große Bäckerstraße", "Ährenfeld", "Weißdornweg",
    "Äußere Sulzbacher Straße", "Östliche Ringstraße", "Am Rübenacker", "Schulstraße",
    "Rosenstraße", "Waldstraße", "Lessingstraße", "Bergstraße", "Feldstraße", "Uferstraße",
    "An der Mühle", "Straße des 17. Juni", "Zur Gießerei", "Fritz-Reuter-Straße", "Lange Reihe",
)  # fmt: skip
_STREETS_AT = (
    "Mariahilfer Straße", "Herrengasse", "Landstraßer Hauptstraße", "Getreidegasse",
    "Maria-Theresien-Straße", "Annenstraße", "Linzer Gasse", "Wiedner Hauptstraße",
)  # fmt: skip
_STREETS_CH = (
    "Bahnhofstrasse", "Seestrasse", "Zürichstrasse", "Marktgasse", "Spalenberg",
    "Limmatquai", "Kramgasse", "Bundesgasse",
)  # fmt: skip

# --- companies -----------------------------------------------------------------------------

_HANDWERK = (
    "Bäckerei", "Metzgerei", "Elektrotechnik", "Sanitär- und Heizungsbau", "Dachdeckerei",
    "Schreinerei", "Tischlerei", "Malerbetrieb", "Kfz-Werkstatt", "Konditorei", "Zimmerei",
    "Fliesenlegerei", "Schlüsseldienst", "Hörakustik", "Optik", "Friseursalon",
)  # fmt: skip
_GASTRO = ("Restaurant", "Café", "Gasthof", "Hotel", "Catering", "Brauerei", "Weingut")
_OTHER_TRADES = (
    "Steuerberatung", "Softwareentwicklung", "Gärtnerei", "Möbelhaus", "Autohaus",
    "Getränkehandel", "Zahnarztpraxis", "Architekturbüro", "Druckerei", "Fahrradladen",
    "Blumenhandel", "Immobilien", "Logistik", "Maschinenbau", "Reisebüro",
    "Versicherungsmakler", "Übersetzungsbüro", "Physiotherapie", "Gebäudereinigung", "Käserei",
)  # fmt: skip
_TRADES = _HANDWERK + _GASTRO + _OTHER_TRADES
_HANDWERK_SET = frozenset(_HANDWERK)
_GASTRO_SET = frozenset(_GASTRO)

# legal form, weight, register type (None: no Handelsregister entry)
_LEGAL_DE_W: tuple[tuple[str, int, str | None], ...] = (
    ("GmbH", 38, "HRB"), ("UG (haftungsbeschränkt)", 8, "HRB"), ("AG", 3, "HRB"),
    ("e.K.", 12, "HRA"), ("GmbH & Co. KG", 10, "HRA"), ("OHG", 4, "HRA"), ("KG", 4, "HRA"),
    ("GbR", 5, None), ("PartG mbB", 2, "PR"), ("", 6, None),
)  # fmt: skip
_LEGAL_AT = ("GmbH", "GmbH", "e.U.", "OG", "KG", "AG")
_LEGAL_CH = ("AG", "AG", "GmbH", "GmbH", "Genossenschaft")
_PERSON_ROLES = (
    "Geschäftsführung", "Buchhaltung", "Einkauf", "Vertrieb", "Technik", "Assistenz",
    "Prokurist", "Empfang", "Projektleitung", "Lager und Versand",
)  # fmt: skip

# --- contact channels ----------------------------------------------------------------------

_MAIL_PROVIDERS = (
    "gmx.de", "web.de", "t-online.de", "gmail.com", "posteo.de", "mailbox.org", "freenet.de",
    "outlook.de", "icloud.com", "aol.de", "gmx.net", "yahoo.de",
)  # fmt: skip
_MAIL_PROVIDERS_AT = ("gmx.at", "aon.at", "a1.net", "gmail.com")
_MAIL_PROVIDERS_CH = ("bluewin.ch", "gmx.ch", "hispeed.ch", "gmail.com")
_COMPANY_MAILBOX = ("info", "kontakt", "buchhaltung", "service", "office", "rechnung", "mail")
# German mobile prefixes with the subscriber length phonenumbers accepts for them
_MOBILE_DE = (
    ("151", 8), ("152", 8), ("157", 8), ("159", 8), ("160", 7), ("162", 8), ("163", 8),
    ("170", 7), ("171", 7), ("172", 7), ("173", 7), ("174", 7), ("175", 7), ("176", 8),
    ("177", 8), ("178", 8), ("179", 8),
)  # fmt: skip
_MOBILE_AT = ("664", "660", "676", "699", "650")
_MOBILE_CH = ("76", "77", "78", "79")

# Real bank codes with their BICs; the account numbers are made up (only mod 97 holds).
_BANKS_NATIONAL: tuple[tuple[str, str, str], ...] = (
    ("10070000", "DEUTDEBBXXX", "Deutsche Bank"),
    ("37040044", "COBADEFFXXX", "Commerzbank"),
    ("50010517", "INGDDEFFXXX", "ING-DiBa"),
    ("12030000", "BYLADEM1001", "Deutsche Kreditbank Berlin (DKB)"),
    ("10010010", "PBNKDEFFXXX", "Postbank"),
    ("43060967", "GENODEM1GLS", "GLS Gemeinschaftsbank"),
    ("10011001", "NTSBDEB1XXX", "N26 Bank"),
    ("70020270", "HYVEDEMMXXX", "UniCredit Bank - HypoVereinsbank"),
)
_BANKS_LOCAL: dict[str, tuple[tuple[str, str, str], ...]] = {
    "Berlin": (("10050000", "BELADEBEXXX", "Berliner Sparkasse"),
               ("10090000", "BEVODEBBXXX", "Berliner Volksbank")),
    "Hamburg": (("20050550", "HASPDEHHXXX", "Hamburger Sparkasse"),
                ("20190003", "GENODEF1HH2", "Hamburger Volksbank")),
    "München": (("70150000", "SSKMDEMMXXX", "Stadtsparkasse München"),
                ("70190000", "GENODEF1M01", "Münchner Bank")),
    "Köln": (("37050198", "COLSDE33XXX", "Sparkasse KölnBonn"),),
    "Bonn": (("37050198", "COLSDE33XXX", "Sparkasse KölnBonn"),),
    "Frankfurt am Main": (("50050201", "HELADEF1822", "Frankfurter Sparkasse"),),
    "Stuttgart": (("60050101", "SOLADEST600", "BW-Bank"),
                  ("60090100", "VOBADESSXXX", "Volksbank Stuttgart")),
    "Düsseldorf": (("30050110", "DUSSDEDDXXX", "Stadtsparkasse Düsseldorf"),),
    "Leipzig": (("86055592", "WELADE8LXXX", "Sparkasse Leipzig"),),
    "Dresden": (("85050300", "OSDDDE81XXX", "Ostsächsische Sparkasse Dresden"),),
    "Nürnberg": (("76050101", "SSKNDE77XXX", "Sparkasse Nürnberg"),),
    "Hannover": (("25050180", "SPKHDE2HXXX", "Sparkasse Hannover"),),
    "Bremen": (("29050101", "SBREDE22XXX", "Die Sparkasse Bremen"),),
    "Essen": (("36050105", "SPESDE3EXXX", "Sparkasse Essen"),),
    "Dortmund": (("44050199", "DORTDE33XXX", "Sparkasse Dortmund"),),
    "Chemnitz": (("87050000", "CHEKDE81XXX", "Sparkasse Chemnitz"),),
    "Saarbrücken": (("59050101", "SAKSDE55XXX", "Sparkasse Saarbrücken"),),
}  # fmt: skip
_BANKS_AT = (
    ("20111", "GIBAATWWXXX", "Erste Bank der oesterreichischen Sparkassen"),
    ("32000", "RLNWATWWXXX", "Raiffeisenlandesbank Niederösterreich-Wien"),
    ("12000", "BKAUATWWXXX", "UniCredit Bank Austria"),
)
_BANKS_CH = (
    ("00230", "UBSWCHZH80A", "UBS Switzerland AG"),
    ("00700", "ZKBKCHZZ80A", "Zürcher Kantonalbank"),
    ("09000", "POFICHBEXXX", "PostFinance AG"),
)

# --- free text -----------------------------------------------------------------------------

_NOTES = (
    "Rückruf erbeten", "Zahlt immer pünktlich", "Newsletter abbestellt",
    "Großkunde – Rabatt 5 %, Staffel ab 10.000 €", "Bitte nur per E-Mail kontaktieren",
    "Ansprechpartner wechselt zum 1. Quartal", "Mahnstufe 1, Zahlungsziel 14 Tage",
    'Wünscht "Sie"-Anrede, kein Du', "Messekontakt Hannover, Stand B12",
    "Lieferadresse abweichend:\nLagerhalle 3, Tor Süd", "Kundin seit der Gründung",
    "Vertrag läuft aus; Verlängerung anbieten", "Übernahme durch Nachfolger geplant",
    "Bevorzugt Termine vormittags", "SEPA-Lastschriftmandat liegt vor",
    "Preisliste 2024 geschickt, Rückmeldung offen", "Gewerbeanmeldung fehlt noch",
    "Mag keine Anrufe während der Mittagspause (12–14 Uhr)",
    'Bestellt nur "auf Rechnung"; Vorkasse abgelehnt',
    "Ansprechpartnerin: Frau Öztürk; Durchwahl -12",
    'Firmierung geändert, alter Name: "Schulz & Partner"',
    "Hinweis: Tor 2 benutzen\nKlingel defekt; bitte anrufen",
    "Skonto 2 % bei Zahlung binnen 10 Tagen, sonst 30 Tage netto",
    "Weihnachtskarte ja; Präsent nein",
    "Schlüssel liegt beim Hausmeister, Hr. Nüßl",
)  # fmt: skip
_CONSENT_SOURCES = ("Webformular", "Vertrag", "Telefonat", "Messe", "E-Mail", "Papierformular")
_LABELS_EXTRA_W = (
    ("VIP", 3), ("SLA Gold", 2), ("SLA Silber", 3), ("Empfehlung", 4), ("Messe 2025", 3),
    ("Zahlungsverzug", 2), ("Stammkunde", 6), ("Rahmenvertrag", 2),
)  # fmt: skip

_GERMAN_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_EPOCH0 = 1420070400  # 2015-01-01T00:00:00Z
_SPAN = 1793491200 - _EPOCH0 - 8 * 86400 * 7  # up to mid-October 2026
_DAY = 86400


def _expand(weighted: tuple[tuple[str, int], ...]) -> tuple[str, ...]:
    return tuple(name for name, weight in weighted for _ in range(weight))


def _slug(text: str) -> str:
    """An e-mail/domain-safe ASCII form: ä → ae, ß → ss, other accents dropped."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_GERMAN_FOLD))
    ascii_only = folded.encode("ascii", "ignore").decode()
    out = []
    for ch in ascii_only:
        if ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


_LAST = _expand(_LAST_NAMES_W)
_FIRST_M = _expand(_FIRST_M_W)
_FIRST_F = _expand(_FIRST_F_W)
_SLUGS = {name: _slug(name) for name in _LAST + _FIRST_M + _FIRST_F + _FIRST_N + _TRADES}
_CITY_DE = tuple(
    (name, state, court, area, tuple(codes.split()))
    for name, weight, state, court, area, codes in _DE_CITIES
    for _ in range(weight)
)
_CITY_FOREIGN = tuple(
    (name, country, area, tuple(codes.split()))
    for name, weight, country, area, codes in _FOREIGN_CITIES
    for _ in range(weight)
)
_LEGAL_DE = tuple((form, kind) for form, weight, kind in _LEGAL_DE_W for _ in range(weight))
_LABELS_EXTRA = _expand(_LABELS_EXTRA_W)
_AREA = {name: area for name, _w, _s, _c, area, _p in _DE_CITIES}


# --- check digits ----------------------------------------------------------------------------


def _vat_de(body: int) -> str:
    """``DE`` + 8 digits (first not 0) + ISO 7064 mod 11,10 check digit."""
    digits = str(10_000_000 + body % 90_000_000)
    product = 10
    for ch in digits:
        total = (ord(ch) - 48 + product) % 10 or 10
        product = (2 * total) % 11
    return f"DE{digits}{(11 - product) % 10}"


def _luhn_sum(digits: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10


def _vat_at(body: int) -> str:
    """``ATU`` + 7 digits + the check digit of stdnum.at.uid (Luhn sum, offset 6)."""
    digits = f"{body % 10_000_000:07d}"
    check = (6 - _luhn_sum(digits)) % 10
    return f"ATU{digits}{check}"


def _vat_ch(body: int) -> str:
    """``CHE-123.456.789 MWST``: 8 digits + mod 11 check digit (10 cannot occur, re-drawn)."""
    weights = (5, 4, 3, 2, 7, 6, 5, 4)
    while True:
        digits = f"{10_000_000 + body % 90_000_000}"
        check = (11 - sum(w * (ord(c) - 48) for w, c in zip(weights, digits, strict=True))) % 11
        if check != 10:
            break
        body += 1
    full = digits + str(check)
    return f"CHE-{full[:3]}.{full[3:6]}.{full[6:]} MWST"


def _iban(country: str, bban: str) -> str:
    """ISO 13616 check digits for an all-digit BBAN: BBAN + country + check is 1 mod 97."""
    letters = str(int(country[0], 36)) + str(int(country[1], 36))
    return f"{country}{98 - int(bban + letters + '00') % 97:02d}{bban}"


def _grouped(iban: str) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def _stnr_template(layout: str) -> tuple[str, int, str, int, str, int]:
    """``"0FF/BBB/UUUUP"`` → ``("0", 2, "/", 5, "/", 10)``: a literal prefix, then the digits
    cut after 2 and 5 with the separators between (slicing is 5x faster than formatting)."""
    prefix = layout[: len(layout) - len(layout.lstrip("0123456789"))]
    groups = layout[len(prefix) :].replace(" ", "/").split("/")
    seps = [ch for ch in layout[len(prefix) :] if ch in " /"] + [""]
    first = len(groups[0])
    second = first + (len(groups[1]) if len(groups) > 2 else 0)
    places = sum(len(g) for g in groups)
    return prefix, first, seps[0], second, seps[1] if len(groups) > 2 else "", places


_STNR_TEMPLATES = {state: _stnr_template(layout) for state, layout in _STNR.items()}


def _stnr(template: tuple[str, int, str, int, str, int], r: Callable[[], float]) -> str:
    """A Steuernummer in the Land's layout; stdnum checks layout and length, not the
    check digit (whose methods differ per Land), so the last digit is drawn too."""
    prefix, first, sep1, second, sep2, places = template
    digits = str(10 ** (places - 1) + int(r() * 9 * 10 ** (places - 1)))
    return f"{prefix}{digits[:first]}{sep1}{digits[first:second]}{sep2}{digits[second:]}"


def _digits(r: Callable[[], float], count: int) -> str:
    """``count`` digits, the first 2-9 (German subscriber numbers start so)."""
    low = 2 * 10 ** (count - 1)
    return str(low + int(r() * (10**count - low)))


# --- rows ------------------------------------------------------------------------------------


def _phone_de(rng: Random, area: str) -> str:
    sub = _digits(rng.random, (10 if rng.random() < 0.8 else 9) - len(area))
    style = rng.random()
    if style < 0.55:
        return f"0{area} {sub}"
    if style < 0.75:
        return f"+49 {area} {sub}"
    if style < 0.9:
        return f"0{area}/{sub}"
    return f"(0{area}) {sub[:-2]}-{sub[-2:]}"


def _mobile_de(rng: Random) -> str:
    prefix, length = _MOBILE_DE[int(rng.random() * len(_MOBILE_DE))]
    sub = _digits(rng.random, length)
    if rng.random() < 0.7:
        return f"0{prefix} {sub}"
    return f"+49 {prefix} {sub}"


def _phone_foreign(rng: Random, country: str, area: str) -> str:
    if country == "AT":
        return f"+43 {area} {_digits(rng.random, 7 if area == '1' else 6)}"
    sub = _digits(rng.random, 7)
    return f"+41 {area} {sub[:3]} {sub[3:5]} {sub[5:]}"


def _mobile_foreign(rng: Random, country: str) -> str:
    if country == "AT":
        return f"+43 {_MOBILE_AT[int(rng.random() * len(_MOBILE_AT))]} {_digits(rng.random, 7)}"
    sub = _digits(rng.random, 7)
    return f"+41 {_MOBILE_CH[int(rng.random() * len(_MOBILE_CH))]} {sub[:3]} {sub[3:5]} {sub[5:]}"


def _day_names() -> tuple[str, ...]:
    first = datetime.date(2015, 1, 1)
    return tuple(str(first + datetime.timedelta(days=d)) for d in range(_SPAN // _DAY + 2))


_DAYS = _day_names()


_HOURS = tuple(f"T{h:02d}:" for h in range(24))
_MINUTES_SECONDS = tuple(f"{m:02d}:{sec:02d}+00:00" for m in range(60) for sec in range(60))


def _iso(ts: int) -> str:
    """UTC ISO timestamp for a moment after ``_EPOCH0`` from tables (strftime is 5x slower)."""
    day, second = divmod(ts - _EPOCH0, _DAY)
    hour, second = divmod(second, 3600)
    return _DAYS[day] + _HOURS[hour] + _MINUTES_SECONDS[second]


def _core_chunk(seed: int, chunk_no: int, start: int, count: int) -> list[dict[str, Any]]:
    """Rows ``start+1 … start+count`` (1-based) with the customer keys only.

    One long loop with the vocabularies in locals, not a function per field: at a million
    rows every call and global look-up shows in the run time.
    """
    rng = Random(f"kk-sample:{seed}:{chunk_no}")
    r = rng.random
    last, n_last = _LAST, len(_LAST)
    fm, n_fm, ff, n_ff = _FIRST_M, len(_FIRST_M), _FIRST_F, len(_FIRST_F)
    city_de, n_city_de = _CITY_DE, len(_CITY_DE)
    city_fx, n_city_fx = _CITY_FOREIGN, len(_CITY_FOREIGN)
    slugs = _SLUGS
    streets: tuple[str, ...]
    out: list[dict[str, Any]] = []
    append = out.append
    for i in range(start + 1, start + count + 1):
        is_company = r() < 0.6
        g = r()
        gender = "f" if g < 0.49 else ("m" if g < 0.98 else "n")
        if gender == "f":
            first = ff[int(r() * n_ff)]
        elif gender == "m":
            first = fm[int(r() * n_fm)]
        else:
            first = _FIRST_N[int(r() * len(_FIRST_N))]
        surname = last[int(r() * n_last)]
        if not is_company and r() < _NAMESAKE_SHARE:
            first, surname, gender = "Thomas", "Müller", "m"
        # place
        foreign = r() < _FOREIGN_SHARE
        if foreign:
            city, country, area, codes = city_fx[int(r() * n_city_fx)]
            state = court = ""
            streets = _STREETS_AT if country == "AT" else _STREETS_CH
        else:
            city, state, court, area, codes = city_de[int(r() * n_city_de)]
            country = "DE"
            streets = _STREETS_DE
        postal_code = codes[int(r() * len(codes))]
        number = 1 + int(r() * r() * 160)  # small house numbers are the common ones
        suffix = "abc"[int(r() * 3)] if r() < 0.08 else ""
        street = f"{streets[int(r() * len(streets))]} {number}{suffix}"
        salutation = "Frau" if gender == "f" else ("Herr" if gender == "m" else None)
        t = r()
        title = "Dr." if t < 0.05 else ("Prof. Dr." if t < 0.06 else None)
        labels: list[str] = []
        company_name = register = vat = tax = website = None
        discount = None
        if is_company:
            trade = _TRADES[int(r() * len(_TRADES))]
            if foreign:
                forms = _LEGAL_AT if country == "AT" else _LEGAL_CH
                legal, reg_type = forms[int(r() * len(forms))], None
            else:
                legal, reg_type = _LEGAL_DE[int(r() * len(_LEGAL_DE))]
            k = r()
            if legal == "PartG mbB":
                other = last[int(r() * n_last)]
                company_name = f"{trade} {surname} & Partner mbB"
                if k < 0.5:
                    company_name = f"{surname} & {other} Partnerschaft mbB"
            elif k < 0.25:
                company_name = f"{surname} {legal}"
            elif k < 0.5:
                company_name = f"{trade} {surname} {legal}"
            elif k < 0.62:
                company_name = f"{surname} & Söhne {legal}"
            elif k < 0.8:
                company_name = f"{surname} & {last[int(r() * n_last)]} {legal}"
            elif k < 0.92:
                company_name = f"{trade} {city} {legal}"
            else:
                company_name = f"{trade} {first} {surname} {legal}"
            company_name = company_name.rstrip()
            if trade in _HANDWERK_SET:
                labels.append("Handwerk")
            elif trade in _GASTRO_SET:
                labels.append("Gastronomie")
            base = slugs[trade] if k >= 0.8 and legal != "PartG mbB" else slugs[surname]
            domain = f"{base}-{i}.{country.lower()}"
            if r() < 0.6:
                website = f"www.{domain}" if r() < 0.8 else f"https://{domain}/"
            if reg_type is not None and r() < 0.92:
                reg_no = 1000 + int(r() * (r() * 240_000 if reg_type == "HRB" else 90_000))
                if reg_type == "PR":
                    reg_no = 100 + reg_no % 3000
                form = r()
                berlin_b = " B" if court.startswith("Berlin") and reg_type == "HRB" else ""
                if form < 0.6:
                    register = f"{reg_type} {reg_no}{berlin_b} {court}"
                else:
                    register = f"{court} {reg_type} {reg_no}{berlin_b}"
            if r() < 0.8:
                body = rng.getrandbits(32)
                vat = (
                    _vat_de(body)
                    if country == "DE"
                    else (_vat_at(body) if country == "AT" else _vat_ch(body))
                )
            if country == "DE" and r() < 0.7:
                tax = _stnr(_STNR_TEMPLATES[state], r)
            if r() < 0.15:
                discount = ("2.00", "3.00", "5.00", "10.00", "2.50", "15.00")[int(r() * 6)]
            has_contact = r() < 0.6
            if r() < 0.85:
                if has_contact and r() < 0.6:
                    email = f"{slugs[first]}.{slugs[surname]}@{domain}"
                else:
                    email = f"{_COMPANY_MAILBOX[int(r() * len(_COMPANY_MAILBOX))]}@{domain}"
            else:
                email = None
            phone = (
                (_phone_de(rng, area) if not foreign else _phone_foreign(rng, country, area))
                if r() < 0.95
                else None
            )
            mobile = None
            if has_contact and r() < 0.3:
                mobile = _mobile_de(rng) if not foreign else _mobile_foreign(rng, country)
            if not has_contact:
                first_name = last_name = salutation = title = None
            else:
                first_name, last_name = first, surname
                if title is None and r() < 0.05:
                    title = "Dr."
            roll = r()
            roles = (
                ["customer"]
                if roll < 0.85
                else (["customer", "supplier"] if roll < 0.95 else ["supplier"])
            )
        else:
            first_name, last_name = first, surname
            if r() < 0.95:
                providers = (
                    _MAIL_PROVIDERS
                    if country == "DE"
                    else (_MAIL_PROVIDERS_AT if country == "AT" else _MAIL_PROVIDERS_CH)
                )
                local = (
                    f"{slugs[first]}.{slugs[surname]}"
                    if r() < 0.6
                    else (
                        f"{slugs[first][0]}.{slugs[surname]}"
                        if r() < 0.5
                        else f"{slugs[surname]}.{slugs[first]}"
                    )
                )
                email = f"{local}{i}@{providers[int(r() * len(providers))]}"
            else:
                email = None
            landline = r() < 0.5
            phone = (
                (_phone_de(rng, area) if not foreign else _phone_foreign(rng, country, area))
                if landline
                else None
            )
            mobile = None
            if r() < (0.6 if landline else 0.92):
                mobile = _mobile_de(rng) if not foreign else _mobile_foreign(rng, country)
            roles = ["customer"] if r() < 0.99 else ["customer", "supplier"]
        note = None
        n = r()
        if n < 0.35:
            note = _NOTES[int(r() * len(_NOTES))]
            if n < 0.05:
                note += "\n" + _NOTES[int(r() * len(_NOTES))]
        if state and r() < 0.3:
            labels.append(_REGION_LABEL[state])
        newsletter = r() < 0.25
        if newsletter:
            labels.append("Newsletter")
        if is_company and r() < 0.06:
            labels.append("Großkunde")
        if r() < 0.2:
            extra = _LABELS_EXTRA[int(r() * len(_LABELS_EXTRA))]
            if extra not in labels:
                labels.append(extra)
        do_not_contact = not newsletter and r() < 0.01
        append(
            {
                "kind": "company" if is_company else "private",
                "company_name": company_name,
                "register_number": register,
                "vat_id": vat,
                "tax_number": tax,
                "salutation": salutation,
                "title": title,
                "first_name": first_name,
                "last_name": last_name,
                "email": email,
                "phone": phone,
                "mobile": mobile,
                "website": website,
                "street": street,
                "postal_code": postal_code,
                "city": city,
                "country": country,
                "notes": note,
                "discount_percent": discount,
                "roles": roles,
                "labels": labels,
                "do_not_contact": do_not_contact,
                "created_at": _iso(_EPOCH0 + int(r() * _SPAN)),
            }
        )
    return out


def _date(ts: int) -> str:
    return _DAYS[(ts - _EPOCH0) // _DAY]


def _after(rng: Random, created_at: str) -> int:
    """A moment between the customer's creation and the end of the sample period."""
    start = int(datetime.datetime.fromisoformat(created_at).timestamp())
    end = _EPOCH0 + _SPAN
    return start + int(rng.random() * max(end - start, _DAY))


def _persons(rng: Random, row: dict[str, Any], i: int) -> list[dict[str, Any]]:
    r = rng.random
    count = (0, 1, 1, 2, 2, 3)[int(r() * 6)] if r() < 0.8 else 0
    if row["first_name"] and count == 0:
        count = 1
    email = row["email"] or ""
    website = row["website"] or ""
    domain = email.partition("@")[2] or website.removeprefix("https://").removeprefix("www.")
    domain = domain.rstrip("/") or f"firma-{i}.de"
    persons: list[dict[str, Any]] = []
    used: set[str] = set()
    for k in range(count):
        if k == 0 and row["first_name"]:
            first, last = row["first_name"], row["last_name"]
            salutation, title = row["salutation"], row["title"]
            role = "Geschäftsführung" if r() < 0.7 else "Inhaber"
        else:
            female = r() < 0.5
            names = _FIRST_F if female else _FIRST_M
            first = names[int(r() * len(names))]
            last = _LAST[int(r() * len(_LAST))]
            salutation, title = ("Frau" if female else "Herr"), None
            role = _PERSON_ROLES[int(r() * len(_PERSON_ROLES))]
        local = f"{_SLUGS[first]}.{_SLUGS[last]}"
        while local in used:
            local += str(len(used))
        used.add(local)
        if row["country"] == "DE":
            phone = _mobile_de(rng) if r() < 0.5 else _phone_de(rng, _AREA[row["city"]])
        else:
            phone = _mobile_foreign(rng, row["country"])
        persons.append(
            {
                "salutation": salutation,
                "title": title,
                "first_name": first,
                "last_name": last,
                "role": role,
                "email": f"{local}@{domain}" if r() < 0.9 else None,
                "phone": phone if r() < 0.8 else None,
            }
        )
    return persons


def _bank_accounts(rng: Random, row: dict[str, Any], i: int) -> list[dict[str, Any]]:
    r = rng.random
    share = 0.85 if row["kind"] == "company" else 0.7
    if r() >= share:
        return []
    count = 2 if row["kind"] == "company" and r() < 0.1 else 1
    holder = row["company_name"] or f"{row['first_name']} {row['last_name']}"
    country = row["country"]
    accounts: list[dict[str, Any]] = []
    for k in range(count):
        m = r()
        method = "sepa" if m < 0.75 else ("invoice" if m < 0.92 else "paypal")
        account: dict[str, Any] = {
            "method": method, "holder": holder, "iban": None, "bic": None, "bank_name": None,
            "mandate": False, "mandate_ref": None, "mandate_date": None,
        }  # fmt: skip
        if method != "paypal":
            if country == "AT":
                code, bic, name = _BANKS_AT[int(r() * len(_BANKS_AT))]
                iban = _iban("AT", f"{code}{int(rng.random() * 10**11):011d}")
            elif country == "CH":
                code, bic, name = _BANKS_CH[int(r() * len(_BANKS_CH))]
                iban = _iban("CH", f"{code}{int(rng.random() * 10**12):012d}")
            else:
                local = _BANKS_LOCAL.get(row["city"])
                banks = local if local and r() < 0.6 else _BANKS_NATIONAL
                code, bic, name = banks[int(r() * len(banks))]
                iban = _iban("DE", f"{code}{int(rng.random() * 10**10):010d}")
            account["iban"] = _grouped(iban) if r() < 0.5 else iban
            account["bic"] = bic if r() < 0.8 else None
            account["bank_name"] = name
        if method == "sepa" and r() < 0.75:
            signed = _after(rng, row["created_at"])
            account["mandate"] = True
            account["mandate_ref"] = f"KK-{i:07d}-{k + 1}"
            account["mandate_date"] = _date(signed)
        accounts.append(account)
    return accounts


def _consents(rng: Random, row: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Consents agree with the row: the Newsletter label means a granted newsletter consent,
    do-not-contact means every recorded channel is refused."""
    r = rng.random
    refused = bool(row["do_not_contact"])
    wanted = {
        "newsletter": "Newsletter" in row["labels"] or (refused and r() < 0.5),
        "email": row["email"] is not None and r() < 0.6,
        "phone": (row["phone"] or row["mobile"]) is not None and r() < 0.35,
        "letter": r() < 0.5,
    }
    consents: dict[str, dict[str, Any]] = {}
    for channel, recorded in wanted.items():
        if not recorded:
            continue
        granted = not refused and (channel == "newsletter" or r() < 0.85)
        consents[channel] = {
            "granted": granted,
            "date": _date(_after(rng, row["created_at"])),
            "source": _CONSENT_SOURCES[int(r() * len(_CONSENT_SOURCES))],
        }
    return consents


def _chunks(n: int) -> Iterator[tuple[int, int, int]]:
    for chunk_no, start in enumerate(range(0, n, CHUNK)):
        yield chunk_no, start, min(CHUNK, n - start)


def customer_rows(n: int, seed: int = 42) -> Iterator[dict[str, Any]]:
    """The first ``n`` sample customers with the customer keys of :data:`CUSTOMER_KEYS` only."""
    for chunk_no, start, count in _chunks(n):
        yield from _core_chunk(seed, chunk_no, start, count)


def customer_chunk(n: int, seed: int, chunk_no: int) -> list[dict[str, Any]]:
    """Chunk ``chunk_no`` of ``customer_rows(n, seed)``: worker processes can split the work."""
    start = chunk_no * CHUNK
    return _core_chunk(seed, chunk_no, start, max(0, min(CHUNK, n - start)))


def customers(n: int, seed: int = 42) -> Iterator[dict[str, Any]]:
    """The first ``n`` sample customers, each with ``persons``, ``bank_accounts`` and
    ``consents`` besides the customer keys. A pure function of ``(n, seed)``."""
    for chunk_no, start, count in _chunks(n):
        rows = _core_chunk(seed, chunk_no, start, count)
        rng = Random(f"kk-sample:{seed}:{chunk_no}:parts")
        for i, row in enumerate(rows, start + 1):
            row["persons"] = _persons(rng, row, i) if row["kind"] == "company" else []
            row["bank_accounts"] = _bank_accounts(rng, row, i)
            row["consents"] = _consents(rng, row)
            yield row


def demo_customers() -> list[dict[str, Any]]:
    """The ~200 customers `kk demo` shows: the same every time."""
    return list(customers(200, seed=2026))
