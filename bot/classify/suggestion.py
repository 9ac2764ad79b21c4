"""Suggestion ("idea") detection: does a remark propose a change?

"It would help if the invoice came as a PDF too", "please add dark mode", "they should
let admins merge accounts": a remark that proposes something is an *idea*, whatever its
tone. Detection is a logistic regression over two kinds of features, like sentiment:
* cue features: the phrasings people use to propose (modal + evaluative "would be
  nice if", directives "please add", "should", "wish", "allow us to", "option to") and
  a few that argue against (questions about the present, past-tense reports);
* stemmed words, scaled down, which learn a workspace's register from corrections.
It is trained from the shipped bot/classify/data/suggestion_train.csv (written by us)
and, when a workspace has corrected remarks, those weighted up.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from .idea_idioms import IDIOM_SHIFTS
from .idea_offers import OFFER_SHIFTS
from .idea_questions import QUESTION_SHIFTS
from .idea_wishes import WISH_SHIFTS
from .rules import RuleSet
from .text import normalise, routing_words, stem
from .tool_names import TOOLS

LR_C = 1.0
CORRECTION_WEIGHT = 3.0
BOW_SCALE = 0.5
# Fewer words than this never make an idea ("add", "idea?"): nothing is proposed.
MIN_WORDS = 3
PAIRS = False

_MODAL = r"(?:would|could|might|will|should)"
_GOOD = (
    r"(?:nice|great|good|helpful|useful|better|awesome|amazing|ideal|handy|cool|"
    r"wonderful|fantastic|lovely|easier|simpler|convenient|beneficial|brilliant|"
    r"a (?:great |big |huge |nice |good |welcome )?(?:help|improvement|plus|addition|"
    r"benefit|bonus|time ?saver|idea|win)|a godsend|welcome|appreciated)"
)
_VERBS = (
    r"(?:add|allow|enable|let|make|provide|support|include|consider|introduce|offer|"
    r"give|implement|bring|show|put|create|expose|extend|change|remove|use|send|"
    r"display|improve|update|fix|open|integrate|have|keep|move|split|merge|rename|"
    r"switch|drop|stop|start|try|increase|reduce|limit|set|sort|group|store|save|"
    r"export|import|offer|publish|release|document|simplify|automate|default|hide|"
    r"expand|unify|separate|list|link|notify|email|prompt|warn|remind|install|"
    r"pause|restore|return|port|adopt|accept|reconsider|rethink|come back|translate|localize)"
)
CUES: tuple[tuple[str, str], ...] = (
    (
        "modal_good",
        rf"\b(?:it|that|this|itd|thatd|there)? ?{_MODAL} (?:really |also |be |so |very |much |be really |be very |be so |be much |be a lot |be even )*(?:be )?{_GOOD}\b",
    ),
    ("good_if", rf"\b{_GOOD} (?:if|to have|to be able|to see|to get|feature|option|addition)\b"),
    (
        "would_help",
        r"\b(?:would|could|might|will) (?:really |also |greatly |definitely )?(?:help|save|make|improve|solve|fix|simplify|speed|go a long way)\b",
    ),
    ("please_verb", rf"\b(?:please|pls|plz|kindly),?(?: do)? {_VERBS}\b"),
    ("please", r"\b(?:please|pls|plz)\b"),
    (
        "should",
        rf"\b(?:should|ought to|must|need to|needs to|have to|has to) (?:be able to |also |really |just |at least |simply |definitely |probably )*(?:{_VERBS}|be|have|get|allow|offer|support|work|show)\b|\b(?:should|shouldnt|should not) (?:not )?(?:be|appear|pause|stop|wait|ask|let|open|stay|remain|require|need|include|come)\b",
    ),
    (
        "there_should",
        r"\bthere (?:should|needs to|has to|must|ought to) be\b|\bthere (?:needs|need) (?:to be )?(?:a|an|some|more)\b",
    ),
    (
        "wish",
        r"\b(?:i|we|they|he|she|customers?|users?|people) (?:really |would |just |do |also )?(?:wish|hope|want|wants|would like|d like|would love|d love|would prefer|d prefer|are asking for|asked for|keep asking for|requested|request)\b|\b(?:id|wed|theyd) (?:really |also |just )?(?:like|love|prefer)\b|^(?:would|d) (?:really )?love (?:a|an|to|the|some)\b",
    ),
    (
        "suggest",
        r"\b(?:suggest|suggests|suggested|suggesting|suggestion|recommend|recommending|recommendation|propose|proposing|proposal|idea|request|feature request|wishlist|wish list)\b",
    ),
    (
        "why_not",
        r"\bwhy (?:not|dont you|dont u|dont they|cant you|cant u|cant we|cant they|isnt there)\b|\bhow about\b|\bwhat about\b|\bwhat if\b",
    ),
    # not "could you add me to the channel?", "can you send us the invoice?": a request for
    # oneself or one's team, not a change to the product
    (
        "can_you",
        rf"\b(?:can|could|would|will) (?:you|we|they|microsoft|the team|someone|it) (?:please )?(?:also )?{_VERBS}\b(?! (?:me|us|him|her|them|my|our)\b)",
    ),
    (
        "able_to",
        r"\b(?:be able to|ability to|option to|possibility to|way to|choice to|setting to|button to|toggle to|means to|mechanism to|feature to|an option for|a way for|support for)\b",
    ),
    (
        "allow_us",
        r"\b(?:allow|let|enable|permit)(?:s|ing)? (?:us|users|me|them|developers|devs|people|customers|admins|the user|apps|you)\b",
    ),
    # An opening verb proposes ("add read later", "maybe add a filter"); not "have you seen",
    # "let me know", "dont know if", "also, I heard", which open plain sentences too.
    (
        "imperative",
        rf"^(?:please |maybe |perhaps |also |just |so |and )?(?:{_VERBS}|make it|give us|bring back|get rid of|stop)\b(?! (?:you|we|i|me|us know|us say|my|our|over|it be|was|is|are|were|has|had|have|team|tickets|staff|desk|agents|calls|requests|volume|queue|costs|seems|did|does|doesnt|didnt|isnt|wasnt|said|told|got|took|takes|never|always|still|already|keeps|kept|replied|answered|responded|came|sent|asked|seems|seemed|called|rang|phoned)\b)|^(?:please )?(?:do not|dont) (?!know|think|understand|see|get|have|want|care)",
    ),
    ("instead", r"\binstead of\b|\brather than\b|\bin addition to\b|\bas well\b|\btoo\b|\balso\b"),
    (
        "more_less",
        r"\b(?:more|fewer|less|better|bigger|smaller|faster|simpler|easier|another|extra|separate|optional|native|built-in|builtin) \w+",
    ),
    (
        "if_could",
        r"\bif (?:you|they|we|i|it|there|the \w+|users|developers) (?:could|would|can|were|had|added|provided|allowed|made|offered|supported)\b(?! (?:please )?(?:send|call|ring|email|phone|confirm|check|resend|forward|get back|let me know|reply|come)\b)",
    ),
    (
        "hope_future",
        r"\b(?:in the future|next version|next release|future update|going forward|someday|one day|soon)\b",
    ),
    ("want_to_be", r"\b(?:want|wants|like|love|prefer)(?: it)? to (?:be able|have|see|get|use)\b"),
    # ideas asked as questions or offered as a wish to pay (issue 23): "can you add SSO?",
    # "any plans for a dark mode?", "we'd pay for an API"
    (
        "idea_question",
        r"^(?:hi |hey |hello )?(?:can|could|will|would) (?:you|we|u|you guys|the team) (?:please |also |maybe |ever |possibly )*(?:add|build|support|integrate|ship|introduce|implement|consider adding|develop|offer)\b(?! (?:me|us|him|her|them|my|our)\b)",
    ),
    (
        "possible_to",
        r"\b(?:is it|would it be|will it be|it would be|it should be|it will be) possible (?:for you |for the team )?to (?:add|support|include|integrate|offer|build|provide|introduce|implement|allow|enable|expose|create|extend|have (?:a|an|the option|more|some))\b",
    ),
    (
        "plans_for",
        r"\b(?:any|are there|are there any|is there a|is there any|do you have|do you have any|have you got) (?:plans?|roadmap|timeline|eta|intention) (?:for|to|of|on)\b|\b(?:are you|is the team) (?:planning|thinking of|thinking about|considering) (?:to )?(?:add|adding|support|supporting|build|building|integrat|offer|offering)",
    ),
    (
        "would_pay",
        r"\b(?:wed|we would|id|i would|theyd|they would|would|happy to|willing to|ready to) (?:happily |gladly |definitely |totally |even |also )?pay(?: extra| more| good money)? (?:for|to)\b",
    ),
    # a question about a capability to come: "any chance of...", "have you considered adding...",
    # "will there be...", "is X on the roadmap?", "when will you support..."
    (
        "ask_ahead",
        r"^(?:hi |hey |hello |so |also )?(?:(?:is there )?any chance (?:of|you|that|we)|have you (?:guys |all )?(?:ever )?(?:thought about|considered|looked into) (?:adding|supporting|building|offering|integrating|making|letting|allowing|giving|including|a|an)|would you (?:ever )?(?:consider|think about)|(?:will|would) there (?:ever )?be|are you (?:going|planning|thinking of) (?:to )?(?:add|support|build|offer|ship|integrate|release|make|have)|when (?:will|are) (?:you|we|it|there) (?:going to )?(?:support|add|offer|get|have|allow|integrate|release|ship|be able)|when can (?:we|i|customers|users) (?:expect|hope for|look forward to)|might you|when will (?:the|your) (?:\w+ ){1,2}?(?:accept|take|support|allow|let us|let me|offer|integrate|sync|work with|connect to))\b|\b(?:on|in) (?:the|your|its) roadmap\b",
    ),
    (
        "if_only",
        r"\bif only\b|\b(?:wish|wishing) (?:that )?(?:there (?:was|were|is)|(?:the|it|we|you|our|i|my|they|this|\w+ could) \w+)",
    ),
    # issue 23 item 2, third kinds: a plan asked about that is a product change ("do you plan
    # to offer X?", "will you be adding X?"; not "do you plan to raise prices?"), the product
    # asked to show more ("could the report include Y?"; not "could the invoice have been..."),
    # a missing capability asked as "why can't" ("why can't the calendar sync both ways?"; not
    # "why can't I log in?"), "is there any way you could let us X?" (not "...refund the
    # fee?"), and "we really need X" for a new thing (not "we need the invoice", "we need
    # someone to call").
    (
        "plan_offer",
        r"\b(?:do|does) (?:you|you guys|you all|the team) (?:plan|intend|have plans) (?:to|on) (?:offer|add|support|build|ship|integrat|introduc|launch|provid|enabl|allow|let|releas|open|bring)\w*\b|\b(?:will|are) you (?:guys )?(?:be |ever be )?(?:adding|supporting|offering|building|introducing|integrating|launching|shipping)\b",
    ),
    (
        "could_it_show",
        r"^(?:hi |hey |so |also )?(?:can|could|would) (?:the|our|your|each|every|this|that) (?:\w+ ){1,3}?(?:include|show|list|display|mention|contain|carry|remember|group|sort|split|highlight|flag|break down|compare|have (?:a|an|the option|more|some))\b",
    ),
    (
        "why_cant_it",
        r"^why (?:cant|can not|cannot|doesnt|does not|wont|dont) (?:the|your|this|our|we|admins?|users?|customers?|managers?|guests?|agents?|staff)\b(?! \w+ (?:work|load|open|respond|arrive)\b)|^why (?:is there no|isnt there (?:a|an|any)|is there not (?:a|an|any)|are there no)\b",
    ),
    (
        "way_you_could",
        r"\b(?:any|some) way (?:you|you guys|the team) (?:could|can|would|might) (?:possibly |maybe |please |perhaps )?(?:let|allow|enable|add|make|build|support|offer|give us|introduce|include|provide)\b|\b(?:could|can|would) you (?:possibly|maybe|perhaps) (?:let|allow|enable|add|build|support|offer|introduce|include|provide)\b(?! (?:me|my)\b)",
    ),
    (
        "we_need",
        r"^(?:honestly |so |but |and |really |tbh )?(?:we|our (?:\w+ )?team|the team|my team|our (?:customers|users|staff|agents|clients)) (?:really |badly |desperately |also |just |definitely |seriously |urgently )*(?:need|needs|could use|could really use) (?!(?:the|my|our|your|this|that|these|those|it|them|him|her|us|you|someone|somebody|anyone|help|to|by|before|an? (?:answer|reply|response|call|callback|refund|update|invoice|quote|copy|credit|replacement|decision))\b)\w+|\bwhat (?:we|our (?:\w+ )?team|our customers) (?:really |badly |desperately )?(?:need|needs|want|wants|miss|lack) (?:is|are)\b",
    ),
    # issue 23 item 2, fifth pass: "is there a way to get X in Teams / a text when...?" asks
    # for a capability (not "is there a way to get a receipt / change my email?"); another
    # tool's feature held up ("Asana lets you...", "our old system had...", not "we moved
    # to Asana", "they said Zendesk was cheaper").
    (
        "way_to_get_in",
        rf"^(?:hi |hey |so |also )?is there (?:a|any|some) (?:easy |simple )?way to (?:get|have|receive|send|push|post|sync|connect|link|pull|feed|mirror|see|show) (?:[\w.-]+ ){{0,6}}?(?:(?:in|into|on|to|with|via|from|through|over|by) (?:the )?{TOOLS}|alerts?|a text|texts|an sms|sms|automatically|synced)\b",
    ),
    (
        "other_tool_does",
        rf"(?:^|[;.,] ?)(?:{TOOLS}|our (?:old|previous|last|former) (?:\w+ )?(?:tool|system|provider|app|crm|software|platform|supplier)|the (?:tool|system|app|crm|software|platform) we (?:used|had) before|(?:every|any) other (?:\w+ )?(?:tool|app|crm|system|platform|provider)(?: we (?:tried|used|looked at))?|competitors?|(?:our|your) competitors?) (?:already |also |just |even )?(?:lets?|allows?|has|have|had|can|could|does|did|shows?|showed|sends?|sent|logs?|gives?|gave|offers?|offered|supports?|supported|used to)\b",
    ),
    # against: questions about how things are, reports of what happened
    ("question", r"\?\s*$"),
    # against (issue 23, item 2, eighth pass): what should have happened is a complaint about
    # the past ("the engineer should have called first", "my card should not have been charged
    # twice"), not a proposal; "the app should have a dark mode" (have = own) stays one.
    (
        "should_have",
        r"\b(?:should|shouldnt|should not|ought to) have (?:been|had|known|told|sent|gone|come|done|taken|given|shown|seen|got|gotten|brought|made|paid|rung|said|kept|left|let|put|read|heard|found|\w+ed)\b",
    ),
    (
        "past_report",
        r"\b(?:was|were|had|did|went|got|took|said|told|called|happened|arrived|broke|failed|crashed|tried)\b",
    ),
    ("thanks", r"\b(?:thank|thanks|thx|great job|well done|love it|works great|awesome job)\b"),
    (
        "own_goal",
        r"\b(?:i|we) (?:just |really |also )?(?:want|wanted|need|would like|d like|am trying|m trying|was trying|tried) to (?:create|build|make|develop|write|use|know|do|run|port|find|implement|read|understand|learn|publish|test|call|access|install|upload|download|protect|connect|deploy|debug|display)\b",
    ),
    (
        "bug_report",
        r"\b(?:bug|error|errors|exception|crash|crashes|crashing|broken|fails|doesnt work|does not work|not working|isnt working|stopped working)\b",
    ),
    # against (issue 23, item 2): the reason given for a proposal, a sentence after the idea
    # ("this would let agents...", "that would save us a day"); a proposed thing as subject
    # ("a Teams app would save us hours") stays an idea.
    (
        "justify",
        r"^(?!.*\bif\b)(?:and |so |also )?(?:this|it|that|which|these|such a change|this change|doing so)(?: alone)? (?:would|will|could|should) (?:also |really |greatly |then |probably |certainly |definitely )?(?:allow|make|mean|help|enable|let|give|save|improve|benefit|solve|eliminate|reduce|bring|provide|open|simplify|remove|cut|avoid|prevent|require|need|take|break|cause|lead)\b|^(?:this way|that way|with that|with this|the (?:benefit|upside|advantage|reason|point)(?: of this)? (?:is|would be))\b",
    ),
    (
        "how_do",
        r"^(?:how (?:do|can|does|did)|is there|does anyone|has anyone|where (?:is|can|do)|what is|whats)\b",
    ),
)
# Named rules that move an idea's logit outright (issue 23, item 2, sixth pass), for phrasings
# too rare in the training rows for a cue's weight to be learnt without moving the rest:
# asking for someone higher up or complaining formally ("I want to speak to a manager"),
# staying offered if something broken is fixed ("fix the login and we'd happily stay"),
# both reports of a problem; and a purchase or stay offered for a new thing ("we'd renew in
# a heartbeat if there was a Gantt view"; not "if there was a problem with the payment").
SHIFTS: tuple[tuple[str, str, float], ...] = (
    (
        "escalation",
        r"\b(?:speak|talk|speaking|talking) (?:to|with) (?:a|your|the|someone|somebody|an) ?(?:manager|supervisor|senior|more senior|boss|head of|person in charge|in charge)\b|\bput me through\b|\b(?:formal|official|make a|file a|raise a|lodge a) complaint\b|\bescalat(?:e|ing|ed)\b",
        -3.0,
    ),
    (
        "stay_if_fixed",
        r"\b(?:if|once|when) (?:you|they|the \w+(?: \w+)?|it|someone) (?:\w+ )?(?:fixed|fix|sorted|sort out|solved|resolved|stopped|stop|worked|actually worked)\b[^.?!]{0,40}\b(?:wed|we would|well|we will|id|i would|we might)(?: \w+)? (?:stay|renew|remain|stick around|keep using)\b|\b(?:wed|we would|well|we will|we might) (?:\w+ )?(?:stay|renew|remain|stick around)\b[^.?!]{0,15}\bif (?:you|they|the \w+|it) (?:\w+ )?(?:fixed|fix|sort|sorted|solve|solved|stopped|stop|resolve|resolved)\b|^(?:just )?(?:fix|sort out|solve) (?:the|your|this|our) [^.?!]{0,30}\band (?:wed|we would|well|we will|id)\b",
        -3.0,
    ),
    (
        "offer_if",
        r"\b(?:wed|we would|well|we will|id|i would|theyd|they would) (?:\w+ ){0,2}?(?:renew|stay|upgrade|switch|move|buy|sign|roll|recommend|pay (?:more|extra|for)|keep|commit|expand|add|use)\b[^.?!]{0,40}\b(?:if|as soon as|the day) (?:there (?:was|were|is)|it (?:came with|had|included|offered|supported|could)|(?:the|your) (?:\w+ )?(?:plan|app|product|tool|tier|portal|platform|software) (?:came with|had|included|offered|supported|could))\b",
        2.0,
    ),
    *IDIOM_SHIFTS,  # the ninth pass's idioms (idea_idioms.py)
    *OFFER_SHIFTS,  # the tenth pass's offers, idioms and "should ... but" (idea_offers.py)
    *WISH_SHIFTS,  # the eleventh pass's offers to test, plans and labels (idea_wishes.py)
    *QUESTION_SHIFTS,  # the twelfth pass's "is anyone working on...", access "too" (idea_questions.py)
)
_RULES = RuleSet([p for _, p in CUES])
_SHIFT_RULES = RuleSet([p for _, p, _ in SHIFTS])  # searched as the cues are (rules.py)
_N_DENSE = len(CUES) + 1


@lru_cache(maxsize=1)
def _joined(cues: RuleSet, shifts: RuleSet) -> tuple[RuleSet, int]:
    """The cues and the shifts as one rule set, and how many cues lead it: both read the
    same lower-cased text, and one anchor scan of it costs about as much as two searches,
    so scanning once for both saves one (the matches are the same). Built from the sets
    the module holds when asked (tests switch a cue off by replacing ``_RULES``)."""
    return RuleSet(cues.patterns + shifts.patterns), len(cues.patterns)


_NOT_KEPT_RE = re.compile(r"[^\w?!.,/ -]")


def lower_text(text: str) -> str:
    """Lower-cased, apostrophes dropped, other marks spaced out: what the cues read."""
    low = text.lower().replace("'", "").replace("’", "")
    return " ".join(_NOT_KEPT_RE.sub(" ", low).split())


@lru_cache(maxsize=512)
def features(text: str) -> tuple[np.ndarray, tuple[str, ...], int, float]:
    """Cue flags, bag-of-words tokens, the word count and the SHIFTS' summed logit of one
    (raw Slack) text."""
    norm = normalise(text, emoji_cues=False)
    dense = np.zeros(_N_DENSE, dtype=np.float32)
    if not norm:
        return dense, (), 0, 0.0
    low = lower_text(norm)
    both, n_cues = _joined(_RULES, _SHIFT_RULES)
    shift = 0.0  # the shifts' weights added in rule order, as sum() added them
    for i in both.matches(low):
        if i < n_cues:
            dense[i] = 1.0
        else:
            shift += SHIFTS[i - n_cues][2]
    dense[-1] = 1.0
    ws = routing_words(text)  # the same words, already split (and cached) by routing
    stems = [stem(w) for w in ws[:200]]
    pairs = {a + "_" + b for a, b in zip(stems, stems[1:], strict=False)} if PAIRS else set()
    toks = tuple(sorted(set(stems) | pairs))
    return dense, toks, len(ws), shift


class SuggestionModel:
    """Probability that a remark is a suggestion; fitted on shipped + corrected examples."""

    def __init__(self, texts: Sequence[str], labels: Sequence[bool], weights: Sequence[float]):
        feats = [features(t) for t in texts]
        vocab = sorted({tok for _, toks, _, _ in feats for tok in toks})
        index = {tok: i for i, tok in enumerate(vocab)}
        rows, cols = [], []
        for r, (_, toks, _, _) in enumerate(feats):
            for tok in toks:
                rows.append(r)
                cols.append(index[tok])
        bow = sparse.csr_matrix(
            (np.full(len(rows), BOW_SCALE, dtype=np.float32), (rows, cols)),
            shape=(len(feats), len(vocab)),
        )
        dense = np.vstack([d for d, _, _, _ in feats])
        x = sparse.hstack([sparse.csr_matrix(dense), bow]).tocsr()
        y = np.array([1 if lab else 0 for lab in labels])
        lr = LogisticRegression(C=LR_C, max_iter=1000, class_weight="balanced")
        lr.fit(x, y, sample_weight=np.asarray(weights))
        coef = lr.coef_[0]
        self.dense_w = coef[:_N_DENSE].copy()
        self.token_w = {tok: BOW_SCALE * coef[_N_DENSE + i] for tok, i in index.items()}
        self.intercept = float(lr.intercept_[0])

    @classmethod
    def build(cls, corrections: Sequence[tuple[str, bool]] = ()) -> SuggestionModel:
        if not corrections:
            return _base_model()
        base = shipped_examples()
        texts = [t for t, _ in base] + [t for t, _ in corrections]
        labels = [lab for _, lab in base] + [lab for _, lab in corrections]
        weights = [*shipped_weights(), *[CORRECTION_WEIGHT] * len(corrections)]
        return cls(texts, labels, weights)

    def probability(self, text: str) -> float:
        dense, toks, n_words, shift = features(text)
        if n_words < MIN_WORDS:
            return 0.0
        z = float(dense @ self.dense_w) + self.intercept + shift
        get = self.token_w.get
        for tok in toks:
            z += get(tok, 0.0)
        return float(1.0 / (1.0 + np.exp(-z)))


@lru_cache(maxsize=1)
def _shipped_rows() -> tuple[tuple[str, bool, float], ...]:
    """The shipped rows with their weight (the `weight` column; empty is 1). The eighth pass's
    rows (ideas asked as questions and wishes, support requests and how-tos beside them) are
    openings crossed with capabilities or requests, so each opening recurs: they count 0.5,
    as many hand-written rows would not, or their openings outweigh the rest."""
    path = resources.files("bot.classify").joinpath("data/suggestion_train.csv")
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    return tuple((r["text"], r["suggestion"] == "1", float(r.get("weight") or 1.0)) for r in rows)


def shipped_examples() -> tuple[tuple[str, bool], ...]:
    return tuple((t, lab) for t, lab, _ in _shipped_rows())


def shipped_weights() -> tuple[float, ...]:
    return tuple(w for _, _, w in _shipped_rows())


@lru_cache(maxsize=1)
def _base_model() -> SuggestionModel:
    rows = shipped_examples()
    return SuggestionModel([t for t, _ in rows], [lab for _, lab in rows], shipped_weights())
