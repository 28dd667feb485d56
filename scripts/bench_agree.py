"""Entity agreement between `newsner extract --ner-only` and Hugging Face transformers
running the same weights (the throughput issue asks for it next to the timings).

usage: bench_agree.py MODEL_DIR ARTICLES.jsonl NEWSNER_OUT.jsonl

Two transformers runs over the same articles:
  * `pipeline("token-classification", aggregation_strategy="simple")` on sentences: the
    usual HF way. It cannot feed newsner's casing channel (the vocabulary is lower-cased
    and the pipeline has no place for a per-word casing class), so it runs a weaker model.
  * the same weights with the casing channel: words and casing classes as newsner
    computes them (`text::words::casing`), embeddings = word-piece + casing, first
    piece per word, BIO spans. This is the like-for-like check of newsner's inference.
Entities are compared as (start, end, type) in code points; both sides split sentences
and words their own way, so boundary differences count as disagreements.
Runs in .venv-bench (torch 2.4.0, transformers 4.46.x); not part of the tests.
"""
import json
import os
import re
import sys

import torch
from safetensors.torch import load_file
from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline

sys.path.insert(0, os.environ.get("PEER_DIR", "../shared/reference/peers"))
from common import split_sentences  # noqa: E402

torch.set_num_threads(2)
model_dir, articles, newsner_out = sys.argv[1:4]
tok = AutoTokenizer.from_pretrained(model_dir)
model = AutoModelForTokenClassification.from_pretrained(model_dir).eval()
weights = load_file(os.path.join(model_dir, "model.safetensors"))
case_emb = weights.get("case_embeddings.weight")
id2label = model.config.id2label

# Penn-ish words as newsner splits them: initialisms ("U.S."), words with inner
# hyphens or dots, clitics ("'s", "n't") apart, any other symbol alone.
WORD = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?=n['’]t)|n['’]t|\w+(?:[-.]\w+)*|['’]\w+|[^\w\s]")


def casing(w):
    if any(c.isupper() for c in w) and not any(c.islower() for c in w):
        return 1
    if w[:1].isupper():
        return 2
    if any(c.isdigit() for c in w):
        return 3
    return 0


def sentences_of(text):
    pos = 0
    for s in split_sentences(text):
        start = text.index(s, pos)
        pos = start + len(s)
        yield start, s


def bio_spans(labels):
    spans, cur = [], None
    for i, l in enumerate(labels + ["O"]):
        kind, _, ty = l.partition("-")
        if cur and (kind != "I" or ty != cur[2]):
            spans.append(tuple(cur))
            cur = None
        if kind in ("B", "I") and cur is None:
            cur = [i, i + 1, ty]
        elif cur:
            cur[1] = i + 1
    return spans


def cased_entities(text):
    out = []
    for off, sent in sentences_of(text):
        words = [(m.start(), m.end()) for m in WORD.finditer(sent)]
        if not words:
            continue
        enc = tok([sent[a:b] for a, b in words], is_split_into_words=True, truncation=True,
                  max_length=512, return_tensors="pt")
        wid = enc.word_ids()
        cases = torch.tensor([[0 if w is None else casing(sent[words[w][0]:words[w][1]]) for w in wid]])
        with torch.inference_mode():
            emb = model.bert.embeddings.word_embeddings(enc["input_ids"])
            if case_emb is not None:
                emb = emb + case_emb.float()[cases]
            logits = model(inputs_embeds=emb, attention_mask=enc["attention_mask"]).logits[0]
        labels, seen = ["O"] * len(words), set()
        for p, w in enumerate(wid):
            if w is not None and w not in seen:
                seen.add(w)
                labels[w] = id2label[int(logits[p].argmax())]
        for s, e, ty in bio_spans(labels):
            out.append((off + words[s][0], off + words[e - 1][1], ty))
    return set(out)


pipe = pipeline("token-classification", model=model, tokenizer=tok, aggregation_strategy="simple", device=-1)


def pipeline_entities(text):
    sents = list(sentences_of(text))
    res = pipe([s for _, s in sents], batch_size=32) if sents else []
    return {(off + e["start"], off + e["end"], e["entity_group"]) for (off, _), ents in zip(sents, res) for e in ents}


ours = {}
with open(newsner_out) as f:
    for line in f:
        d = json.loads(line)
        ours[d["id"]] = {(e["start"], e["end"], e["label"]) for e in d.get("entities", [])}

totals = {"cased": [0, 0, 0], "pipeline": [0, 0, 0]}  # both, newsner only, transformers only
with open(articles) as f:
    for line in f:
        d = json.loads(line)
        mine = ours.get(d["id"], set())
        for name, fn in (("cased", cased_entities), ("pipeline", pipeline_entities)):
            theirs = fn(d["text"])
            t = totals[name]
            t[0] += len(mine & theirs)
            t[1] += len(mine - theirs)
            t[2] += len(theirs - mine)
for name, (both, only_ours, only_theirs) in totals.items():
    union = both + only_ours + only_theirs
    print("AGREE", json.dumps({
        "against": {"cased": "transformers forward, same weights with casing channel",
                    "pipeline": "HF pipeline (casing channel ignored)"}[name],
        "both": both, "newsner_only": only_ours, "transformers_only": only_theirs,
        "agreement_pct": round(100 * both / union, 2) if union else 100.0,
        "newsner_found_pct": round(100 * both / (both + only_theirs), 2) if both + only_theirs else 100.0,
    }))
