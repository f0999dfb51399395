"""The field's language in one place: every word list, acronym and synonym the other modules use, each once.

Lists that overlap in meaning are built from shared pieces (the joining words a phrase cannot end on,
the auxiliary verbs, the generic words that name no particular quantity), so changing one piece changes
every list built from it. Patterns made from these lists stay beside the code that reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(words: Iterable[str]) -> str:
    """Words as a regex alternation, escaped and longest first, so that a word wins over its own prefix."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# -- files ------------------------------------------------------------------------------------------
SUPPORTED_SUFFIXES = frozenset({".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt"})
# Files in a corpus folder that describe the folder rather than being documents of it.
SKIPPED_NAMES = frozenset({"readme", "readme.md", "readme.txt", "manifest.md", "license", "license.txt"})

# -- small words ------------------------------------------------------------------------------------
ARTICLES = frozenset({"a", "an", "the"})
# Articles, prepositions and conjunctions: a heading or a counted phrase never ends on one.
JOINING = ARTICLES | {"of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or", "as"}
AUXILIARIES = frozenset({"is", "are", "was", "were", "be", "been", "being", "has", "have", "had"})
RELATIVES = frozenset({"that", "which", "who", "whose", "whom"})
# A line ending on one of these continues on the next line (PDF text wraps mid-sentence).
OPEN_ENDINGS = (
    JOINING | AUXILIARIES | RELATIVES | {"their", "its", "our", "into", "than", "per", "between", "including"}
)
# Words between a number and what it counts that are not part of the label ("1,394 of the referrals").
FIGURE_STOP_WORDS = (
    JOINING
    | AUXILIARIES
    | RELATIVES
    | {"whom", "this", "these", "those", "there", "their", "they", "we", "our", "it", "its", "into", "than", "per"}
    | {"between", "within", "while", "whilst", "some", "about", "around", "approximately", "over", "up", "down"}
    | {"across", "during", "compared", "received", "saw", "made", "total", "cent"}
)
# Where the counted thing of "how many X ..." ends: "how many rapid reviews | were analysed".
COUNTED_ENDS = (
    (JOINING - {"as"})
    | AUXILIARIES
    | RELATIVES
    | {"did", "do", "does", "during", "each", "get", "got", "last", "made", "per", "there", "these", "this"}
    | {"under", "whose", "apply"}
)
# Joining words inside a long form ("Multi-Agency Safeguarding Hub", "Child and Adolescent Mental Health").
ACRONYM_JOINERS = frozenset({"and", "of", "for", "the", "in", "&"})
# Words before a long form that belong to the sentence, not to the name ("the", "our").
LONG_FORM_LEADERS = frozenset({"the", "and", "of", "a", "our", "in"})
# "e.g." and "Dr." end no sentence.
ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "no", "st", "vs", "cf", "para", "fig", "approx"}
)
# Words ending in "s" that are not plural nouns ("two was ..." is no count).
NOT_NOUNS = frozenset(
    {"was", "is", "has", "does", "this", "his", "its", "as", "us", "yes", "always", "perhaps", "across"}
)
# Plural nouns that do not end in "s" ("Thirteen children died" counts children).
IRREGULAR_PLURALS = frozenset({"children", "people", "men", "women", "grandchildren"})
# Forms of a verb a stemmer cannot bring to its base: "in writing" is said by "written confirmation".
IRREGULAR_FORMS = {
    "written": "write",
    "wrote": "write",
    "found": "find",
    "sent": "send",
    "paid": "pay",
    "sought": "seek",
    "spoken": "speak",
    "spoke": "speak",
    "chosen": "choose",
    "chose": "choose",
    "lost": "lose",
    "brought": "bring",
    "taught": "teach",
    "understood": "understand",
    "began": "begin",
    "begun": "begin",
    "grew": "grow",
    "grown": "grow",
    "thought": "think",
    "felt": "feel",
}

# -- what figures count -----------------------------------------------------------------------------
MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
# Month names and the short forms practitioners type ("sept 2017", "dec 2014"), with their numbers.
MONTH_NUMBERS = {name: n for n, full in enumerate(MONTHS.split("|"), start=1) for name in {full, full[:3]}} | {
    "sept": 9
}
# Steps of a procedure done at a set time: "when is the strategy meeting convened?" asks within how long.
SCHEDULED_STEPS = (
    "convened",
    "convene",
    "held",
    "hold",
    "meet",
    "meets",
    "take place",
    "takes place",
    "happen",
    "happens",
    "come back",
    "return",
    "visit",
    "reviewed",
    "sent",
    "send",
    "completed",
    "submitted",
    "notified",
)
DURATION_UNITS = frozenset({"days", "hours", "weeks", "months", "years"})
# Short forms of those units as protocols write them ("within 24hrs", "6 wks"), with the unit each stands for.
DURATION_SHORT_FORMS = {
    "hr": "hours",
    "hrs": "hours",
    "wk": "weeks",
    "wks": "weeks",
    "mth": "months",
    "mths": "months",
    "yr": "years",
    "yrs": "years",
}
# Linking words that end the noun phrase a number counts ("4 allegations | concerning foster carers").
COUNTED_PHRASE_ENDS = (
    (JOINING - ARTICLES)
    | RELATIVES
    | {"about", "against", "concerning", "regarding", "involving", "relating", "including", "following", "into"}
    | {"within", "among", "than", "where", "when", "while", "because", "but", "after", "before", "per", "each"}
)
# Words that count occurrences of the thing named after them ("23 cases of neglect", "on 3 occasions").
OCCURRENCE_WORDS = frozenset({"case", "cases", "instance", "instances", "occasion", "occasions", "time", "times"})
# Words that name no particular quantity: sharing them does not make two figures, or a claim and a
# figure, about the same thing.
GENERIC_MEASURE_WORDS = frozenset({"children", "child", "people", "person", "number", "total", "year", "years"})
# Words counting people in general: a count of them is no count of events ("8 children" for "how many interviews").
# Of them, these name anyone (professionals are people); the rest name whom (children).
ANYONE_WORDS = frozenset({"people", "person", "persons"})
PEOPLE_WORDS = ANYONE_WORDS | {"children", "child", "young", "kids"}
CLAIM_GENERIC = (
    GENERIC_MEASURE_WORDS
    | {"young", "camden", "there", "were", "was", "had", "have", "has", "the"}
    | {
        "and",
        "for",
        "with",
        "end",
        "during",
        "over",
        "about",
        "around",
    }
)
LABEL_GENERIC = (
    GENERIC_MEASURE_WORDS
    | {"cases", "contributed", "which", "were", "was", "received", "saw", "had"}
    | {
        "made",
        "in",
        "of",
        "the",
        "and",
        "to",
        "for",
        "with",
    }
)
ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
# Words before a number that say how old or how many, never which one ("under 5", "aged 16", "over 18").
AMOUNT_BEFORE_NUMBER = frozenset({"under", "over", "aged", "age", "than", "least", "most", "about", "around"})
NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
}

# Verbs with "not" run in, as practitioners type them ("didnt", "isnt"): words, never typos of another word.
NOT_RUN_IN = ("didnt", "doesnt", "dont", "isnt", "arent", "wasnt", "werent", "hasnt", "havent", "hadnt", "wont")

# Words of a question that never say what a figure measures: how it asks, generic verbs, hedges. The rest of
# its content words (minus GENERIC_MEASURE_WORDS, QUESTION_WORDS and places) must be said where a figure is.
MEASURE_NOISE_WORDS = frozenset(
    {"what", "which", "how", "many", "much", "get", "got", "give", "given", "show", "shown", "tell", "know", "say"}
    | {"kids", "young", "overall", "altogether", "actual", "actually", "amount", "figure", "figures", "count"}
    | {"percentage", "percent", "proportion", "share", "rate", "rates", "during", "current", "currently"}
    | {"approximately", "roughly", "about", "around", "latest", "recent", "recently", "report", "reported"}
    | {"annual", "did", "does", "do", "is", "are", "was", "were", "there", "their", "they", "it", "its", "and"}
    | {"after", "before", "while", "also", "where", "why", "when", "often", "since", "between", "through", "out"}
    | {"back", "real", "raw", "please"}
    | {"them", "this", "that", "those", "these", "came", "come", "went", "go", "goes", "gone", "see", "seen"}
    | {"take", "taken"}
    | {"took", "fewer", "more", "less", "yr", "yrs", "avg", "average", "fast", "quickly", "long", "set", "run"}
    | {"deal", "stay", "become", "became", "led", "lead", "vs", "versus", "compare", "compared", "so", "far"}
    | {"both", "each", "all", "any", "some", "other", "others", "big", "large", "main", "key", "per"}
    | {"over", "throughout", "across", "within", "whole", "entire", "hold", "holds", "held"}
    | {"must", "should", "would", "could", "can", "will", "may", "might", "shall"}
    | {"timescale", "timescales", "timeframe", "timeframes"}  # ask how long, as "how quickly" does
    | {"procedure", "procedures", "process"}  # the frame of a step ("complaints procedure - how long ...")
    | {"duration", "durations"}  # likewise (question.TIME_ASKED): a figure of days or weeks is one
    | {"nationally"}  # where, as a place name says: a national report's figures rarely say "nationally"
    # how the asker frames the figure (a ranking, a kind, an outcome), not what it counts
    | {"most", "least", "common", "commonest", "top", "highest", "lowest", "biggest", "smallest"}
    | {"best", "worst", "largest", "greatest", "fewest"}
    # prepositions that place or time what is asked without naming it ("till they reply"); "under" is one
    # only when no number follows it (measure.read_measure): "under 5" says which children
    | {"till", "until", "onto", "upon", "via", "towards", "toward"}
    # light verbs: the noun after them says what is done ("referrals the police make", "puts a child at")
    | {"make", "makes", "made", "making", "put", "puts", "done", "doing"}
    | {"type", "types", "kind", "kinds", "sort", "sorts", "result", "results", "split"}
    # what the question is asked of ("per the inspection"); not "review": reviews are counted ("cin reviews")
    | {"according", "document", "doc", "inspection", "report", "letter", "guidance", "protocol"}
    | {"northants", "oxon", "hants", "herts", "bucks", "cambs", "lancs", "notts", "leics", "glos", "wilts"}
    # the asker and the people around them, and how they say a duty ("we", "meant to", "supposed to")
    | {"i", "we", "us", "our", "you", "your", "my", "me", "someone", "somebody", "anyone", "one", "ones"}
    | {"meant", "supposed", "need", "needs", "exactly", "really", "just", "still", "once", "time"}
    | {"soon", "quick"}  # "how soon", "how quick": ask how long, as "how quickly" does
    | {"already", "because", "old", "olds"}  # "already known", "16 year olds": the number says which
    # verbs of being and doing with "not" run in, as typed ("how many didnt respond"): "did" and "not" are
    # no measure, nor are they together
    | set(NOT_RUN_IN)
)
# Words saying a figure counts a change (children starting, ending, entering) rather than a state (children
# on plans, in care): "97 children ceased to be looked after" does not answer "how many looked after children".
CHANGE_WORDS = {
    "starting": ("start", "starts", "started", "starting", "began", "begin", "begins", "beginning"),
    "ending": ("ceased", "cease", "ceases", "ceasing", "ended", "ending", "ends", "left", "leaving", "discharged"),
    "entering": ("entering", "entered", "enter", "enters", "entry", "entries", "became", "become", "becoming"),
}
# Phrases saying one of those changes in words that, alone, say none ("came from the police" is no change).
CHANGE_PHRASES = {"entering": ("came into", "come into", "comes into", "coming into", "coming back into")}
# Phrases that say when or how a figure is framed, whose words on their own can be measures: "at the end of
# March" asks when, "plans ended" counts endings; "breakdown by age" frames, "placement breakdowns" are counted.
FRAMING_PHRASES = ("at the end of", "the end of", "end of", "year end", "year-end", "breakdown of", "breakdown by")

# -- questions --------------------------------------------------------------------------------------
# Contractions typed without their apostrophe, read as meant ("whos the dsl" asks who is the DSL).
TYPED_CONTRACTIONS = {"whos": "who's", "whats": "what's", "wheres": "where's", "hows": "how's"}
# Stemmed words that say what kind of answer is wanted, not what it is about.
QUESTION_WORDS = {
    *[
        "mani",
        "much",
        "number",
        "percentag",
        "proport",
        "total",
        "figur",
        "year",
        "last",
        "latest",
        "tell",
        "know",
        "give",
        "show",
    ],
    *["say", "said", "report", "document", "thing", "doe", "did", "do", "get", "got"],
    # comparison words say how to answer; the figures say what moved
    *[
        "up",
        "down",
        "compar",
        "chang",
        "increas",
        "decreas",
        "rise",
        "rose",
        "fall",
        "fell",
        "went",
        "go",
        "gone",
        "previou",
        "befor",
    ],
    *["happen", "differ", "versus", "vs", "trend", "drop", "higher", "lower", "more", "less"],
}

# -- practitioners' words and the documents' words --------------------------------------------------
# Each group lists interchangeable ways of saying one thing.
SYNONYM_GROUPS: list[tuple[str, ...]] = [
    ("mash", "multi-agency safeguarding hub", "front door", "single front door"),
    ("ilacs", "inspection of local authority children's services", "inspection of local authority childrens services"),
    ("looked after children", "children in care", "lac", "cla", "child in care", "kids in care"),
    ("child protection", "cp"),
    ("child protection plan", "cp plan", "cpp"),
    ("children in need", "child in need", "cin", "in need"),
    ("child sexual exploitation", "cse"),
    ("child criminal exploitation", "cce", "county lines"),
    ("child sexual abuse", "csa"),
    ("domestic violence", "domestic abuse", "dv", "dva"),
    ("elective home education", "elected home education", "home education", "home educated", "home ed", "ehe"),
    ("child and adolescent mental health", "camhs", "mental health"),
    # A rapid review decides whether a practice review is needed: it is not one.
    ("serious case review", "scr", "practice review", "lcspr", "child safeguarding practice review"),
    ("safeguarding children board", "lscb", "cscb", "the board", "board", "safeguarding board"),
    ("safeguarding children partnership", "lscp", "cscp", "partnership", "safeguarding partners"),
    ("local authority designated officer", "lado", "allegations against staff"),
    ("female genital mutilation", "fgm"),
    ("special educational needs", "send", "sen"),
    ("unaccompanied asylum seeking children", "uasc", "asylum seeking", "uas children", "uas"),
    ("youth offending service", "yos", "youth justice"),
    ("early help", "eh", "early intervention"),
    ("initial child protection conference", "icpc", "case conference", "conference"),
    ("section 47", "s47", "child protection enquiry"),
    ("metropolitan police service", "mps", "met police", "the met", "police"),
    ("general practitioner", "gp", "gps", "doctors"),
    ("clinical commissioning group", "ccg"),
    ("budget", "funding", "money", "finances", "spend", "expenditure", "income", "contributions"),
    ("training", "courses", "sessions", "workshops", "learning events"),
    ("children", "kids", "young people", "youngsters"),
    ("pupils", "pupil", "children", "learners", "students"),  # a school's children
    ("missing", "run away", "runaway", "went missing", "go missing"),
    ("radicalisation", "extremism", "prevent"),
    ("neglect", "graded care profile", "gcp"),
    ("referrals", "referral"),
    ("author", "wrote", "written by", "authored"),
    ("lead inspector", "led the inspection", "led the visit", "inspection was led"),
    ("telephone", "phone", "ring", "call", "contact number", "tel"),
    ("consent", "permission", "agreement", "agree"),
    ("inspectors", "inspection team", "inspected", "ofsted"),
    ("timescales", "how quickly", "how long", "within", "deadline"),
    ("grade", "judgement", "judged", "rated", "rating", "graded"),
    ("improve", "improvement", "areas for development", "needs to improve", "weaknesses"),
    ("strengths", "doing well", "good practice", "what works"),
    ("threshold", "level of need", "continuum of need", "levels of need"),
    ("staff", "practitioners", "professionals", "workers", "workforce"),
    ("programme", "scheme", "project", "initiative"),
    ("recommendations", "recommendation", "recs"),
    ("children's social care", "childrens social care", "csc", "social care"),
    ("local authority", "local authorities", "la", "las", "council", "councils"),
    ("social worker", "social workers", "sw", "sws"),
    # the same role under its older names ("designated safeguarding officer", "designated person")
    ("designated safeguarding lead", "dsl", "designated safeguarding officer", "designated safeguarding person"),
    ("education health and care plan", "ehcp", "ehc plan"),
    ("education employment or training", "eet", "education work or training", "in work or training"),
    ("substance misuse", "drug and alcohol", "drug or alcohol", "drugs and alcohol", "drugs or alcohol", "drug use"),
    ("return home interview", "return home conversation", "return interview", "rhi"),
    ("babies", "infants", "under 1", "under one", "under 1s"),
    ("deteriorated", "deterioration", "worse", "worsened", "got worse"),
    ("identified", "flagged"),
    ("asked", "requested", "request", "requests"),
    ("personal adviser", "personal advisers", "personal advisor", "pa", "pas"),
    # everyday verbs for what reports write formally
    ("mentioned", "referenced", "cited", "noted"),
    ("input", "contribution"),
    ("reply", "respond", "response"),
    ("finish", "complete"),
    ("took place", "went ahead", "go ahead", "goes ahead", "happened"),
    ("dealt with", "picked up", "actioned"),
    ("issues", "problems", "difficulties"),
    ("anonymous", "anon", "anonymised"),
    ("larger", "bigger", "greater"),
    ("new", "previously unknown", "first time"),
    ("refresh", "refresher", "refreshed", "update", "updated"),
    ("voluntary sector", "voluntary and community", "voluntary and community sector", "vcs", "third sector"),
    ("extra-familial harm", "efh"),
    # short forms practitioners type for everyday words
    ("full-time equivalent", "full-time-equivalent", "full time equivalent", "fte"),
    ("conversation", "conversations", "convo", "convos"),
    ("information", "info"),
    ("visits", "visit", "visited", "seen"),  # "seen every 3 weeks by their social worker" is a visit
    ("in-year", "in year", "mid year", "mid-year", "midyear"),
    ("transfer", "transfers", "transferred", "moving schools", "move schools", "changing schools", "changes school"),
    ("image", "images", "imagery", "photo", "photos", "picture", "pictures", "pic", "pics"),
    ("statistics", "stats"),
    ("conference", "conf", "confs"),
    ("boys", "male", "males"),
    ("girls", "female", "females"),
]

# -- places -----------------------------------------------------------------------------------------
# Local authority areas in England and Wales (and a few beyond), to notice a question about a place the
# documents do not cover.
PLACES = """
Barking and Dagenham|Barnet|Bexley|Brent|Bromley|Camden|Croydon|Ealing|Enfield|Greenwich|Hackney|
Hammersmith and Fulham|Haringey|Harrow|Havering|Hillingdon|Hounslow|Islington|Kensington and Chelsea|
Kingston upon Thames|Lambeth|Lewisham|Merton|Newham|Redbridge|Richmond upon Thames|Southwark|Sutton|
Tower Hamlets|Waltham Forest|Wandsworth|Westminster|City of London|Birmingham|Bradford|Bristol|Coventry|
Doncaster|Dudley|Gateshead|Kirklees|Knowsley|Leeds|Leicester|Liverpool|Manchester|Newcastle|Nottingham|
Oldham|Plymouth|Portsmouth|Rochdale|Rotherham|Salford|Sandwell|Sefton|Sheffield|Solihull|Southampton|
Stockport|Sunderland|Tameside|Trafford|Wakefield|Walsall|Wigan|Wirral|Wolverhampton|York|Hull|Derby|
Stoke-on-Trent|Brighton and Hove|Milton Keynes|Luton|Reading|Slough|Swindon|Peterborough|Norfolk|Suffolk|
Essex|Kent|Surrey|Hampshire|Devon|Cornwall|Somerset|Dorset|Wiltshire|Gloucestershire|Oxfordshire|
Buckinghamshire|Hertfordshire|Bedfordshire|Cambridgeshire|Northamptonshire|West Northamptonshire|
North Northamptonshire|Leicestershire|Nottinghamshire|Derbyshire|Lincolnshire|Staffordshire|Warwickshire|
Worcestershire|Shropshire|Herefordshire|Cheshire|Lancashire|Cumbria|Cumberland|Durham|Northumberland|
North Yorkshire|East Sussex|West Sussex|Sussex|Isle of Wight|Blackpool|Blackburn|Bolton|Bury|Halton|
Warrington|Middlesbrough|Stockton-on-Tees|Hartlepool|Darlington|Redcar|Medway|Thurrock|Southend|
Cardiff|Swansea|Newport|Wrexham|Glasgow|Edinburgh|Belfast|Worthing
"""
PLACE_NAMES = [p.strip() for p in PLACES.replace("\n", "").split("|") if p.strip()]
# Areas wider than a local authority: a figure a sentence gives for one of these is not a local area's
# figure ("49,900 children ... in England" answers nothing about Lambeth).
WIDER_AREAS = (
    "England",
    "English",
    "nationally",
    "national average",
    "national figure",
    "national data",
    "national rate",
    "UK",
    "United Kingdom",
    "Great Britain",
)
# Place names that are also everyday words ("reading age", "bury the past"): a place only when capitalised.
PLACES_ALSO_WORDS = frozenset({"Reading", "Bury", "Hull", "Slough", "Harrow", "Sutton", "Halton", "Derby"})
# Short names practitioners type for a place.
PLACE_ALIASES = {
    "northants": "Northamptonshire",
    "west northants": "West Northamptonshire",
    "north northants": "North Northamptonshire",
    "notts": "Nottinghamshire",
    "herts": "Hertfordshire",
    "hants": "Hampshire",
    "lancs": "Lancashire",
    "leics": "Leicestershire",
    "glos": "Gloucestershire",
    "wilts": "Wiltshire",
    "cambs": "Cambridgeshire",
    "oxon": "Oxfordshire",
}

# -- letterheads and title pages --------------------------------------------------------------------
# Last words of a street line in an address block ("1 Angel Square", "Store Street", "Piccadilly Gate").
STREET_WORDS = frozenset(
    {
        "street", "road", "square", "lane", "avenue", "place", "gate", "way", "close", "drive", "court",
        "crescent", "terrace", "row", "walk", "hill", "park", "parade", "mews", "yard", "wharf", "quay",
        "gardens", "green", "house", "centre", "building", "buildings",
    }
)  # fmt: skip
# Labels that start a contact line in a letterhead ("T 0300 123 1231", "Textphone 0161 ...", "Call: ...").
CONTACT_LABELS = frozenset(
    {"t", "tel", "telephone", "textphone", "minicom", "phone", "call", "fax", "f", "e", "email", "e-mail", "web", "w"}
)
# A letter's greeting: the title-page lines above it are the letterhead and the recipient's address.
SALUTATIONS = ("dear ",)
# Bodies a title names by their initials ("ADCS Safeguarding Pressures Research").
BODY_ACRONYMS = {
    "ADCS": "Association of Directors of Children’s Services",
    "DfE": "Department for Education",
}
# First words of a phrase that names no particular body ("Local Safeguarding Children Board", "The ...").
GENERIC_BODY_LEADS = frozenset({"local", "the", "a", "an", "each", "every", "this", "that", "our", "your", "their"})
# Capitalised words that start a sentence before a body's name ("At The New Montessori Pre-school ...").
SENTENCE_LEADS = frozenset({"at", "in", "by", "for", "from", "with", "to", "the"})
# Marks that start a list item (bullets as PDFs and word processors write them, private-use glyphs included).
BULLETS = "\u2022\u25aa\u25cf\u25a0\u25fc\u25e6\u27a2\u2023\u2043\uf0b7\uf0a7\uf075\uf0d8\uf0fc"
# What a practitioner calls the document a question is asked of ("per the 2017 inspection", "in the adcs report").
# Parts of a document a question may point to ("(finance table)", "adcs table 6"): where to look, never what is
# measured.
DOCUMENT_PARTS = ("table", "tables", "chart", "charts", "graph", "graphs")
DOCUMENT_KINDS = (
    "report",
    "inspection",
    "ilacs",  # an inspection of local authority children's services
    "review",
    "doc",
    "document",
    "guidance",
    "protocol",
    "letter",
    "visit",
    "pack",
    "policy",
    "analysis",
    "framework",
    "advice",
    "annex",
    "appendix",
)
# Verbs a recommendation opens with, told to the reader ("14. Improve Pathway Plans ...", "Ensure that ...").
RECOMMENDING_VERBS = (
    "ensure",
    "improve",
    "develop",
    "review",
    "consider",
    "strengthen",
    "extend",
    "establish",
    "increase",
    "reduce",
    "embed",
    "continue",
    "monitor",
    "provide",
    "implement",
    "undertake",
    "collate",
    "raise",
    "promote",
    "evaluate",
    "agree",
    "further",
    "make sure",
    "work with",
)
# People a procedure is done to or by, named by the asker's word ("a staff member", "a teacher") where the
# procedure says "the person" or names a role: no measure of a time asked for one of its steps.
ACTOR_WORDS = (
    "staff",
    "member",
    "members",
    "employee",
    "employees",
    "teacher",
    "teachers",
    "person",
    "worker",
    "workers",
    "colleague",
    "colleagues",
    "volunteer",
    "volunteers",
)
# What a reader asks about a document itself, each with the question's words for it and the labels of the cover,
# back-page or document-control fields that state it ("Author: ...", "Version 3 – November 2022").
DOCUMENT_FACTS = {
    "author": (("who wrote", "who authored", "author", "written by", "writer"), ("author", "authors", "written by")),
    "owner": (("who owns", "owner", "owns"), ("document owner", "owner", "approved by")),
    "version": (("version", "reference number", "ref number"), ("version", "reference number", "reference")),
    "published": (
        ("published", "publication date", "issued", "came out", "date of"),
        ("published", "date published", "publication date", "issued", "date of issue"),
    ),
    "review": (
        ("due for review", "review date", "next review", "reviewed"),
        ("review date", "next review", "date of review"),
    ),
    # when an inspection or visit took place, on an inspection report's cover ("Inspection dates: 22 September
    # 2025 to 3 October 2025"); asked only with a word for inspecting (document_facts.facts_asked)
    "inspected": (
        ("inspection dates", "inspection date", "dates of the inspection", "date of the inspection", "visit dates")
        + ("dates of the visit", "date of the visit", "what dates", "what date", "when was", "when were", "when did"),
        ("inspection dates", "inspection date", "dates of inspection", "date of inspection", "visit dates")
        + ("dates of visit", "date of visit"),
    ),
}
COVER_FIELD_LABELS = tuple(label for _, labels in DOCUMENT_FACTS.values() for label in labels)
# Sentences about the document rather than its subject ("This letter summarises ...", "See page 49 for more
# information"): what a document calls itself, what it says it does, and where it points the reader.
DOCUMENT_NOUNS = (
    "report",
    "letter",
    "document",
    "section",
    "chapter",
    "paper",
    "summary",
    "analysis",
    "publication",
)
SELF_DESCRIBING_VERBS = ("summarises", "summarizes", "sets out", "describes", "outlines", "presents")
POINTER_TARGETS = ("page", "pages", "section", "appendix", "chapter", "annex")
# Titles of a table of contents: the lines under one that end in a page number are entries, not headings.
CONTENTS_TITLES = frozenset({"contents", "table of contents", "content"})
