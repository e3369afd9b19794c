"""The people and homes of a generated data set (see `manage.py generate_cases`), and the timeline and notes
rows the case apps' generators write beside their cases.

Homes carry postcodes spread over a few hundred real-looking districts (a unit like "SE15 4QX" holds a dozen
homes, as a street's does) and the regulator's stock types, with a share left unknown as a council's records
are. Residents have common UK names and phone numbers written the many ways officers type them. The search
keys (`Property.postcode_key`, `Resident.phone_digits`) are filled by the functions the models' save uses
(casework.search), since COPY bypasses save()."""

import datetime

import numpy as np
from django.utils import timezone

from casework import search
from casework.bulk import copy_rows, next_ids
from casework.models import Note, Property, Resident, StockType, TimelineEvent

# (area, first district, last district, town): about three hundred districts, London-heavy like a London borough's
# tenants who moved across the south east.
POSTCODE_AREAS = [
    ("SE", 1, 28, "London"),
    ("SW", 2, 20, "London"),
    ("E", 1, 18, "London"),
    ("N", 1, 22, "London"),
    ("NW", 1, 11, "London"),
    ("W", 2, 14, "London"),
    ("BR", 1, 8, "Bromley"),
    ("CR", 0, 9, "Croydon"),
    ("DA", 1, 18, "Dartford"),
    ("TN", 1, 40, "Tonbridge"),
    ("ME", 1, 20, "Maidstone"),
    ("RM", 1, 20, "Romford"),
    ("IG", 1, 11, "Ilford"),
    ("EN", 1, 11, "Enfield"),
    ("KT", 1, 24, "Kingston upon Thames"),
    ("SM", 1, 7, "Sutton"),
    ("CT", 1, 21, "Canterbury"),
    ("B", 1, 40, "Birmingham"),
]
# The letters a postcode's unit may use (never C, I, K, M, O or V).
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
HOMES_PER_UNIT = 12
STREETS = [
    "Albert Road", "Bellenden Road", "Camden Grove", "Choumert Road", "Copeland Road", "Denmark Hill",
    "East Dulwich Grove", "Evelina Road", "Friary Road", "Gordon Road", "Harders Road", "Hollydale Road",
    "Ivydale Road", "Jocelyn Street", "Kirkwood Road", "Lyndhurst Way", "Maxted Road", "Nunhead Lane",
    "Oglander Road", "Peckham Rye", "Queens Road", "Rye Lane", "Sumner Road", "Talfourd Road", "Underhill Road",
    "Victoria Way", "Waveney Avenue", "Wood's Road", "Asylum Road", "Brayards Road", "Carlton Grove",
    "Dunstans Road", "Elm Grove", "Fenwick Road", "Goldsmith Road", "Heaton Road", "Linden Grove",
    "Meeting House Lane", "Nigel Road", "Philip Walk",
]  # fmt: skip
BLOCKS = ["Acorn House", "Bradfield Court", "Cheviot House", "Dawson Court", "Elmington Estate", "Fielding House"]
# Share of homes of each stock type; "" is a home whose type nobody has recorded yet.
STOCK_TYPES = [
    (StockType.LCRA, 0.62),
    (StockType.LCHO, 0.08),
    (StockType.LEASEHOLD, 0.13),
    (StockType.OTHER, 0.05),
    ("", 0.12),
]
FIRST_NAMES = [
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Sophia", "Lily", "Freya", "Emily", "Aisha", "Fatima",
    "Maryam", "Zainab", "Chloe", "Jessica", "Sarah", "Margaret", "Patricia", "Susan", "Joyce", "Abena", "Chiamaka",
    "Oliver", "George", "Noah", "Arthur", "Muhammad", "Leo", "Harry", "Oscar", "Jack", "Jacob", "Thomas", "James",
    "David", "John", "Michael", "Peter", "Robert", "Kwame", "Oluwaseun", "Tunde", "Mohammed", "Ahmed", "Ali",
    "Bilal", "Daniel", "Samuel", "Joseph", "Kofi", "Ion", "Piotr", "Agnieszka", "Mehmet", "Elif", "Priya", "Raj",
    "Sunita", "Deepak", "Wei", "Mei", "Siobhan", "Ciaran", "Rhys", "Megan", "Bethan", "Callum", "Kayleigh",
]  # fmt: skip
LAST_NAMES = [
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts",
    "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris",
    "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark",
    "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis",
    "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson",
    "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson",
    "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers",
    "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills",
    "Barnes", "Knight", "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon",
    "Harvey", "Okafor", "Adeyemi", "Mensah", "Owusu", "Ahmed", "Rahman", "Nowak", "Kowalski", "Yilmaz", "Demir",
    "Sharma", "Kaur", "Chen", "Wang", "O'Brien", "O'Connor", "MacDonald", "Boateng", "Asante", "Osei", "Nguyen",
]  # fmt: skip
TITLES = ["", "", "", "Mr", "Mrs", "Ms", "Miss", "Dr", "Mx"]
# How officers and residents write one number: the digits are the same in every one (casework.search).
MOBILE_FORMATS = [
    "{a} {b}",  # 07700 900123
    "{a}{b}",  # 07700900123
    "+44 {a1} {b}",  # +44 7700 900123
    "+44{a1}{b}",  # +447700900123
    "0044 (0){a1} {b}",  # 0044 (0)7700 900123
    "({a}) {b3}-{b4}",  # (07700) 900-123
    "{a}-{b3}-{b4}",  # 07700-900-123
    "{a} {b3} {b4}",  # 07700 900 123
]
LANDLINE_FORMATS = ["020 {c} {d}", "020{c}{d}", "+44 (0)20 {c} {d}", "(020) {c}-{d}", "+44 20 {c} {d}"]
VULNERABILITIES = [
    "Hearing impaired: prefers email or text.",
    "Mental health condition: calls in the morning only.",
    "Uses a wheelchair.",
    "Partially sighted: large print letters.",
    "Needs a Polish interpreter.",
]


def postcode_districts():
    return [
        (f"{area}{number}", town) for area, first, last, town in POSTCODE_AREAS for number in range(first, last + 1)
    ]


def phone_number(index, rng_value):
    """A phone number written one of the ways people write them (or none), varied by `rng_value` in [0, 1)."""
    if rng_value < 0.1:
        return ""
    if rng_value < 0.75:
        a1 = f"7{(index * 7919) % 1000:03d}"
        b = f"{(index * 104729 + 13) % 1_000_000:06d}"
        formats = MOBILE_FORMATS
        template = formats[int((rng_value - 0.1) / 0.65 * len(formats)) % len(formats)]
        return template.format(a=f"0{a1}", a1=a1, b=b, b3=b[:3], b4=b[3:])
    c = f"{7000 + index % 3000:04d}"
    d = f"{(index * 31) % 10000:04d}"
    template = LANDLINE_FORMATS[int((rng_value - 0.75) / 0.25 * len(LANDLINE_FORMATS)) % len(LANDLINE_FORMATS)]
    return template.format(c=c, d=d)


def generate_homes(count, rng):
    """`count` homes, returns the first id (they are numbered consecutively)."""
    districts = postcode_districts()
    units = max(count // HOMES_PER_UNIT, 1)
    # Some districts hold many of the council's homes, most a few: a long-tailed share per district.
    district_weights = rng.pareto(1.2, size=len(districts)) + 0.05
    unit_district = rng.choice(len(districts), size=units, p=district_weights / district_weights.sum())
    unit_sector = rng.integers(0, 10, size=units)
    unit_letters = rng.integers(0, len(UNIT_LETTERS), size=(units, 2))
    unit_street = rng.integers(0, len(STREETS), size=units)
    home_unit = rng.integers(0, units, size=count)
    stock_choices = [value for value, _ in STOCK_TYPES]
    stock_weights = np.array([weight for _, weight in STOCK_TYPES])
    stock = rng.choice(len(stock_choices), size=count, p=stock_weights / stock_weights.sum())
    flats = rng.random(size=count) < 0.35
    first = next_ids(Property, count)
    postcode_of_unit = [
        f"{districts[unit_district[u]][0]} {unit_sector[u]}{UNIT_LETTERS[unit_letters[u, 0]]}"
        f"{UNIT_LETTERS[unit_letters[u, 1]]}"
        for u in range(units)
    ]
    columns = ["id", "uprn", "address_line_1", "address_line_2", "town", "postcode", "postcode_key", "stock_type"]

    def rows():
        for i in range(count):
            unit = int(home_unit[i])
            postcode = postcode_of_unit[unit]
            if flats[i]:
                line_1 = f"Flat {1 + i % 40}, {BLOCKS[unit % len(BLOCKS)]}"
                line_2 = STREETS[unit_street[unit]]
            else:
                line_1 = f"{1 + (i * 7) % 180} {STREETS[unit_street[unit]]}"
                line_2 = ""
            yield (
                first + i,
                f"{100_000_000_000 + first + i}" if i % 10 else None,  # a tenth with no UPRN recorded
                line_1,
                line_2,
                districts[unit_district[unit]][1],
                postcode,
                search.postcode_key(postcode),
                stock_choices[stock[i]],
            )

    copy_rows(Property, columns, rows())
    return first


def generate_residents(count, rng, *, first_home=None):
    """`count` residents, the i-th living in the i-th home from `first_home` (a few with no home recorded).
    Returns the first id."""
    first = next_ids(Resident, count)
    now = timezone.now()
    first_names = rng.integers(0, len(FIRST_NAMES), size=count)
    # Surnames are long-tailed too: many Smiths, a few Asantes.
    surname_weights = 1 / np.arange(1, len(LAST_NAMES) + 1) ** 0.8
    last_names = rng.choice(len(LAST_NAMES), size=count, p=surname_weights / surname_weights.sum())
    titles = rng.integers(0, len(TITLES), size=count)
    phone_values = rng.random(size=count)
    contact = rng.choice(["email", "phone", "letter", "text"], size=count, p=[0.5, 0.3, 0.12, 0.08])
    extra = rng.random(size=count)
    columns = [
        "id",
        "title",
        "first_name",
        "last_name",
        "email",
        "phone",
        "phone_digits",
        "address",
        "home_id",
        "preferred_contact",
        "vulnerability_notes",
        "reasonable_adjustments",
        "created_at",
    ]

    def rows():
        for i in range(count):
            first_name = FIRST_NAMES[first_names[i]]
            last_name = LAST_NAMES[last_names[i]]
            phone = phone_number(first + i, phone_values[i])
            email = f"{first_name}.{last_name}{first + i}@example.org".lower().replace("'", "") if i % 6 else ""
            vulnerable = extra[i] < 0.06
            yield (
                first + i,
                TITLES[titles[i]],
                first_name,
                last_name,
                email,
                phone,
                search.normalise_phone(phone),
                "",
                first_home + i if first_home is not None and extra[i] > 0.03 else None,
                str(contact[i]),
                VULNERABILITIES[i % len(VULNERABILITIES)] if vulnerable else "",
                "Large print letters." if vulnerable and i % 2 else "",
                now,
            )

    copy_rows(Resident, columns, rows())
    return first


TIMELINE_COLUMNS = ["id", "case_id", "occurred_at", "actor_id", "kind", "summary", "data", "visible_to_member"]
NOTE_COLUMNS = ["id", "case_id", "author_id", "body", "created_at"]
BUSY_KINDS = [
    ("contacted", "Called the resident to update them."),
    ("contacted", "Emailed the resident: the contractor's visit is booked."),
    ("updated", "Asked the repairs team for the job history."),
    ("updated", "Repairs team replied: the job was raised twice and cancelled."),
    ("note_added", "Note added."),
    ("assigned", "Case passed to a colleague while the officer is on leave."),
    ("message", "Message from the resident."),
]
NOTE_BODIES = [
    "Resident called, upset that the second appointment was missed. Promised a call back by Friday.",
    "Spoke to the surveyor: damp readings high in the back bedroom; mould wash booked.",
    "Checked the repairs log: three jobs raised since March, two closed without a visit.",
    "Resident's daughter is helping with the complaint; consent form sent.",
    "Left a voicemail. Will try again tomorrow morning (resident prefers mornings).",
]


class TimelineWriter:
    """Timeline events and notes for generated cases, numbered in blocks and written with COPY in batches."""

    def __init__(self, rng):
        self.rng = rng
        self.events = []
        self.notes = []
        self.event_count = 0
        self.note_count = 0

    def event(self, case_id, day, kind, summary, *, actor=None, hour=9, visible=False):
        at = datetime.datetime.combine(day, datetime.time(hour % 24, (len(self.events) * 7) % 60), tzinfo=datetime.UTC)
        self.events.append([case_id, at, actor, kind, summary, "{}", visible])

    def busy(self, case_id, first_day, last_day, officer, count, notes):
        """`count` events and `notes` notes spread between two days, as a case that keeps an officer busy has."""
        span = max((last_day - first_day).days, 1)
        offsets = np.sort(self.rng.integers(0, span + 1, size=count + notes))
        for n, offset in enumerate(offsets[:count]):
            kind, summary = BUSY_KINDS[n % len(BUSY_KINDS)]
            self.event(
                case_id, first_day + datetime.timedelta(days=int(offset)), kind, summary, actor=officer, hour=10 + n % 7
            )
        for n, offset in enumerate(offsets[count:]):
            at = datetime.datetime.combine(
                first_day + datetime.timedelta(days=int(offset)), datetime.time(11 + n % 6, n % 60), tzinfo=datetime.UTC
            )
            self.notes.append([case_id, officer, NOTE_BODIES[n % len(NOTE_BODIES)], at])

    def flush(self):
        if self.events:
            first = next_ids(TimelineEvent, len(self.events))
            copy_rows(TimelineEvent, TIMELINE_COLUMNS, ((first + n, *row) for n, row in enumerate(self.events)))
            self.event_count += len(self.events)
            self.events = []
        if self.notes:
            first = next_ids(Note, len(self.notes))
            copy_rows(Note, NOTE_COLUMNS, ((first + n, *row) for n, row in enumerate(self.notes)))
            self.note_count += len(self.notes)
            self.notes = []
