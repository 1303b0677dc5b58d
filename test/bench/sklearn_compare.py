"""scikit-learn's LogisticRegression and HistGradientBoostingClassifier on the folds our bench
chose, for `npm run bench predictive`. Never part of the product: the bench runs it with the
system python3 when scikit-learn is installed there (Debian: python3-sklearn) and says so when not.

Input: a CSV written by test/bench/predictive.ts with the columns our model used, `__label`
(0/1) and `__fold`, and a JSON sidecar naming each column's kind (numeric, categorical, date).
Output: one JSON line with each model's fold AUCs and seconds."""
import json
import sys
import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

data_file, kinds_file = sys.argv[1], sys.argv[2]
kinds = json.load(open(kinds_file))
df = pd.read_csv(data_file, dtype=str, keep_default_na=False)
y = df.pop("__label").astype(int).to_numpy()
fold = df.pop("__fold").astype(int).to_numpy()
MISSING = {"", "na", "n/a", "nan", "null", "none", "nil", "-", "?", "undefined", "#n/a"}

num, cat = [], []
X = pd.DataFrame(index=df.index)
for col, kind in kinds.items():
    raw = df[col].where(~df[col].str.strip().str.lower().isin(MISSING), None)
    if kind == "numeric":
        X[col] = pd.to_numeric(raw, errors="coerce")
        num.append(col)
    elif kind == "date":
        # The same date part our model reads by default: the weekday (and hour, when there is one).
        d = pd.to_datetime(raw, errors="coerce")
        X[col + " weekday"] = d.dt.dayofweek.astype("float").astype(str).where(d.notna(), None)
        cat.append(col + " weekday")
    else:
        X[col] = raw
        cat.append(col)

def lr_pipeline():
    return Pipeline([
        ("prep", ColumnTransformer([
            ("num", Pipeline([("impute", SimpleImputer(strategy="mean", add_indicator=True)), ("scale", StandardScaler())]), num),
            ("cat", Pipeline([("impute", SimpleImputer(strategy="constant", fill_value="missing")),
                              ("onehot", OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=10))]), cat),
        ])),
        ("lr", LogisticRegression(max_iter=5000)),
    ])

def hgb_frame(train, test):
    """Categories as codes fitted on the training rows (the 250 most frequent; others and unseen as one code)."""
    out_train, out_test = pd.DataFrame(index=train.index), pd.DataFrame(index=test.index)
    for c in num:
        out_train[c], out_test[c] = train[c], test[c]
    for c in cat:
        top = train[c].dropna().value_counts().index[:250]
        codes = {v: i for i, v in enumerate(top)}
        other = len(codes)
        enc = lambda s: s.map(lambda v: np.nan if v is None or (isinstance(v, float) and np.isnan(v)) else codes.get(v, other)).astype(float)
        out_train[c], out_test[c] = enc(train[c]), enc(test[c])
    mask = [False] * len(num) + [True] * len(cat)
    return out_train, out_test, mask

result = {"lr": [], "hgb": [], "lrSeconds": 0.0, "hgbSeconds": 0.0, "sklearn": __import__("sklearn").__version__}
for f in sorted(set(fold)):
    tr, te = fold != f, fold == f
    t0 = time.perf_counter()
    lr = lr_pipeline().fit(X[tr], y[tr])
    result["lr"].append(roc_auc_score(y[te], lr.predict_proba(X[te])[:, 1]))
    result["lrSeconds"] += time.perf_counter() - t0
    t0 = time.perf_counter()
    a, b, mask = hgb_frame(X[tr], X[te])
    hgb = HistGradientBoostingClassifier(categorical_features=mask if any(mask) else None, random_state=0).fit(a, y[tr])
    result["hgb"].append(roc_auc_score(y[te], hgb.predict_proba(b)[:, 1]))
    result["hgbSeconds"] += time.perf_counter() - t0
print(json.dumps(result))
