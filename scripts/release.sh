#!/usr/bin/env bash
# release.sh [OUT]: build static retort binaries for linux, darwin and
# windows on amd64 and arm64 (pure Go, CGO_ENABLED=0, -trimpath, VCS
# stamping on even where GOFLAGS says -buildvcs=false) into OUT
# (default ./dist), with SHA256SUMS beside them. Each binary's --version
# names the module version and the VCS revision it was built from.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/dist}
mkdir -p "$out"
out=$(cd "$out" && pwd)
targets="linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"

cd "$here"
names=()
for t in $targets; do
	os=${t%/*} arch=${t#*/}
	name="retort_${os}_${arch}"
	[ "$os" = windows ] && name="$name.exe"
	echo "+ GOOS=$os GOARCH=$arch CGO_ENABLED=0 go build -trimpath -o $out/$name ./cmd/retort"
	GOOS=$os GOARCH=$arch CGO_ENABLED=0 go build -buildvcs=auto -trimpath -ldflags='-s -w' -o "$out/$name" ./cmd/retort
	names+=("$name")
done

cd "$out"
if command -v sha256sum >/dev/null; then
	sha256sum "${names[@]}" > SHA256SUMS
else
	shasum -a 256 "${names[@]}" > SHA256SUMS
fi
cat SHA256SUMS
echo "release binaries and SHA256SUMS in $out"
