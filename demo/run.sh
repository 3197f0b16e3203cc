#!/usr/bin/env bash
# `make demo`: a real `pulumi up` of this project against localaws, on a local file backend.
# No AWS account and no network. Cleans up after itself, so it can run again.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
py=$root/.venv/bin/python
work=$root/.demo
stack=demo

export PATH="$root/.tools/pulumi/bin:$PATH"
export PULUMI_BACKEND_URL="file://$work/state"
export PULUMI_CONFIG_PASSPHRASE=demo
export PULUMI_HOME="$work/pulumi-home"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
unset AWS_PROFILE AWS_ENDPOINT_URL AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

cleanup() {
  set +e
  if [ -f "Pulumi.$stack.yaml" ]; then
    step "Clean up: pulumi destroy, remove the stack, stop localaws"
    pulumi destroy --yes --skip-preview --non-interactive --stack "$stack" >/dev/null
    pulumi stack rm --yes --force --non-interactive "$stack" >/dev/null 2>&1
    rm -f "Pulumi.$stack.yaml"
  fi
  [ -n "${localaws_pid:-}" ] && kill "$localaws_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

rm -rf "$work" "Pulumi.$stack.yaml"
mkdir -p "$work/state"

step "Start localaws (moto + Cognito user import jobs) on a free port"
"$py" -m localaws --port 0 > "$work/localaws.log" 2>&1 &
localaws_pid=$!
for _ in $(seq 100); do grep -q listening "$work/localaws.log" && break; sleep 0.1; done
endpoint=$(grep -o 'http://[0-9.:]*' "$work/localaws.log")
echo "localaws: $endpoint"

step "Prepare a user pool and a CloudWatch Logs role in localaws"
read -r pool role < <("$py" demo/prepare.py "$endpoint")
echo "pool: $pool"
echo "role: $role"

step "Configure stack '$stack' (file backend in .demo/state)"
pulumi stack init "$stack" --non-interactive >/dev/null
pulumi config set aws:region us-east-1
pulumi config set --path 'aws:endpoints[0].cognitoidp' "$endpoint"
pulumi config set --path 'aws:endpoints[0].cloudwatchlogs' "$endpoint"
pulumi config set aws:accessKey testing
pulumi config set --secret aws:secretKey testing
pulumi config set userPoolId "$pool"
pulumi config set jobName "demo import"
pulumi config set cloudWatchLogsRoleArn "$role"
pulumi config set csvFile examples/csv-as-code/users.csv
pulumi config set start true
pulumi config set wait true
pulumi config

step "pulumi preview: the CSV is checked against the pool's header before anything is created"
pulumi preview --non-interactive

step "pulumi up: create the job, upload the CSV, start it and wait for it to end"
pulumi up --yes --non-interactive --skip-preview

step "Stack outputs (the pre-signed URL is a secret)"
pulumi stack output

step "The upload URL, shown on request: pulumi stack output --show-secrets preSignedUrl"
pulumi stack output --show-secrets preSignedUrl

step "The job and the imported users, as Cognito (localaws) describes them"
"$py" demo/show_job.py "$endpoint" "$pool" "$(pulumi stack output jobId)"

step "A second pulumi up changes nothing"
pulumi up --yes --non-interactive --skip-preview --expect-no-changes >/dev/null && echo "no changes"
