#!/usr/bin/env bash
# Train the Rasa model only if none matches the training inputs (called by `make train`).
# The model is named by a hash of everything that shapes it and kept in models/ (Rasa's default) and in the
# cache, so a clean clone with the same data reuses it instead of training again.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${BROBYGGER_CACHE:-$HOME/.cache/brobygger}"
mkdir -p models "$CACHE/models"
hash="$(cat config.yml domain.yml requirements/rasa.lock content/crisis_keywords.yml \
  $(find data/nlu data/rules data/stories rasa_components -type f \( -name '*.yml' -o -name '*.py' \) | LC_ALL=C sort) \
  | sha256sum | cut -c1-16)"
name="brobygger-$hash"
if [ -f "models/$name.tar.gz" ]; then
  echo "[train] model up to date: models/$name.tar.gz"
elif [ -f "$CACHE/models/$name.tar.gz" ]; then
  cp "$CACHE/models/$name.tar.gz" models/
  echo "[train] reused cached model: models/$name.tar.gz"
else
  echo "[train] training models/$name.tar.gz (data changed)"
  start=$(date +%s)
  PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" TF_CPP_MIN_LOG_LEVEL=2 \
    .venv-rasa/bin/rasa train --fixed-model-name "$name" --out models --quiet --data data/nlu data/rules data/stories
  echo "[train] trained in $(( $(date +%s) - start )) s"
  cp "models/$name.tar.gz" "$CACHE/models/"
fi
# keep only the current model so that `rasa run` and the tests cannot pick a stale one
find models -name 'brobygger-*.tar.gz' ! -name "$name.tar.gz" -delete
ls -t "$CACHE"/models/brobygger-*.tar.gz 2>/dev/null | tail -n +6 | xargs -r rm -f
echo "models/$name.tar.gz" > models/CURRENT
