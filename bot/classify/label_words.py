"""The words theme names are made of, or never made of (theme_labels.py): function words
of English, French, Spanish and German, number words, and the kinds of word that may sit
inside a name but not stand in it alone. Lists, no logic."""

from __future__ import annotations

from .text import STOPWORDS

EN = """a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each even
ever every few for from further get gets got had has have having he her here hers him his how
i if in into is it its just like me more most much my no nor not now of off on once one only
or other our out over own per please really same she should so some still such than that the
their them then there these they this those through to too under until up upon us very via
was we were what when where which while who whom whose why will with would yet you your
yes no ok okay hi hey hello thanks thank also again already always never maybe said says
told tell asked ask say see saw seen let lets make made going want wants need needs know
many quite
without within across along around behind beyond toward towards among since though
although unless whether onto ago
today yesterday tomorrow week weeks day days time times month months year years lot lots
thing things something anything nothing everyone everything someone
don isn wasn doesn didn won aren couldn shouldn wouldn haven hasn hadn
""".split()
FR = """au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les
leur leurs lui ma mais me mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa
se ses son sur ta te tes toi ton tu un une vos votre vous est sont été être avoir ont avait
était fait faire plus très bien tout tous toute toutes encore aussi comme déjà jamais rien
chez depuis sans sous entre vers alors donc car si ni y ça cela ceci merci bonjour oui non
aujourd hui toujours
""".split()
ES = """el la los las un una unos unas de del al y o u e ni que en por para con sin sobre
entre es son ser está están estar fue era ha han hay muy más menos pero como cuando donde
porque su sus mi mis tu tus nuestro nuestra nos se lo le les me te ya aún todavía también
otra otro otras otros todo toda todos todas esto esta este estos estas eso esa ese gracias
hola sí
""".split()
DE = """der die das den dem des ein eine einer eines einem einen und oder aber nicht kein
keine ist sind war waren sein hat haben hatte wird werden wurde mit von zu zum zur im in am
an auf aus bei für über unter nach vor um durch ohne sehr noch schon auch nur wie wenn dass
ich du er sie es wir ihr uns euch mein dein sein ihre unser dies diese dieser dieses danke
hallo ja nein wieder mal immer
""".split()
NUMBERS = """zero two three four five six seven eight nine ten eleven twelve twenty thirty
hundred thousand first second third half deux trois quatre cinq dix premier première dos tres
cuatro cinco diez primero primera zwei drei vier fünf zehn erste ersten
""".split()
# Function words a phrase never holds inside: they link clauses or name people, so a
# "phrase" across them joins two things ("refund and the app", "card I ordered").
NO_JOIN = frozenset(
    """and but because so if than then that which who whom whose while when where although
    though unless whether i me you he she it we they them us
    is are was were been be am do does did have has had will would can could should
    et mais car donc que qui je tu il elle nous vous ils elles y pero porque und aber dass
    ich don isn wasn doesn didn won aren couldn shouldn wouldn haven hasn hadn""".split()
)
# Articles and possessives: inside a phrase they change nothing about it, so "verify my
# identity" and "verify your identity" count as one phrase (shown as its members say it).
TRANSPARENT = frozenset("a an the my your our their his her its le la les un une el los".split())
# Words that qualify what follows them ("next holiday", "last transactions", "how long"):
# they may start a phrase or sit inside one, but a phrase never ends with one and one is
# never a name on its own ("holiday · next", "bus · long", "directions to the nearest").
MODIFIERS = frozenset(
    """last next current latest nearest closest recent previous long far right full new
    possible available""".split()
)
# Verbs too general to say anything alone ("rental · find", "money · help", "bus · take"):
# part of a phrase ("find my PIN", "book a train ticket"), never a part of a name by itself.
LIGHT_VERBS = frozenset(
    """find finding found take takes took taken taking give gives gave given giving help helps
    helped helping look looks looked looking show shows showed shown showing put puts putting
    use uses used using try tries tried trying come comes came coming go goes went gone keep
    keeps kept keeping""".split()
)
STOP = frozenset(STOPWORDS) | frozenset(EN + FR + ES + DE + NUMBERS)
# German capitalises every noun, so in German text capitals say nothing about names.
GERMAN = frozenset(DE) - frozenset(EN)
# Function words of the other languages: in such a text a word no English list knows is
# just a word of that language ("colis", "arrivé"), not a name.
FOREIGN = frozenset(FR + ES + DE) - frozenset(EN)
# Nationality, language and cuisine adjectives ("thai food", "order Mexican", "in Spanish"):
# English capitalises them and the word list (lower-case SCOWL) holds few, so they read as
# names; they say what a remark is about, not who it is from. A general list, not drawn from
# any evaluation set. A customer's name holding one is still cut whole ("Thai Express").
NATIONAL = frozenset(
    """american british english french german italian spanish portuguese dutch greek turkish
    russian polish swedish norwegian danish finnish irish scottish welsh swiss austrian
    belgian czech hungarian romanian ukrainian chinese japanese korean thai vietnamese indian
    pakistani indonesian malaysian filipino mexican brazilian argentinian argentine peruvian
    colombian cuban canadian australian african ethiopian moroccan lebanese persian iranian
    arab arabic israeli egyptian nigerian kenyan jamaican caribbean mediterranean asian
    european latin cajun creole hawaiian szechuan sichuan cantonese mandarin hindi bengali
    punjabi urdu tamil nepalese tibetan mongolian burmese cambodian hebrew yiddish catalan
    basque icelandic croatian serbian bulgarian slovak slovenian latvian lithuanian
    estonian""".split()
)
