#!/usr/bin/env bash
# Builds grpc-go's own interop server (google.golang.org/grpc/interop/server) from Debian's packages
# alone, for lbchannel's interop tests against grpc-go, into ${LBCHANNEL_CACHE:-~/.cache/lbchannel}/grpc-go-interop.
#
# Why it takes more than `go build`: golang-google-grpc-dev installs grpc-go without interop/ (its
# debian/rules lists interop in DH_GOLANG_EXCLUDES), so interop/ is taken from the same version's
# Debian source package, fetched with `apt-get source` through a private deb-src list that mirrors
# the machine's own Debian entries (the system's apt configuration is left alone). Debian builds
# grpc-go against the APIv1 protobuf runtime (golang-github-golang-protobuf-1-3-dev), so the
# interop messages are generated again with that package's protoc-gen-go, as Debian does for the
# rest of grpc-go. The build runs in GOPATH mode with no module download.
#
# Needs: golang-go golang-google-grpc-dev protobuf-compiler (and Debian's archive for the source).
# Does nothing when the cached server was built from the installed golang-google-grpc-dev version.
set -euo pipefail

out="${LBCHANNEL_CACHE:-$HOME/.cache/lbchannel}/grpc-go-interop"
source_package=$(dpkg-query -W -f='${source:Package}' golang-google-grpc-dev)
version=$(dpkg-query -W -f='${source:Version}' golang-google-grpc-dev)
if [ -x "$out/interop_server" ] && [ "$(cat "$out/version" 2>/dev/null)" = "$version" ]; then
  echo "grpc-go interop server $version already built in $out"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The machine's Debian entries, as deb-src.
apt_dir="$work/apt"
mkdir -p "$apt_dir/parts" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
touch "$apt_dir/sources.list"
if [ -f /etc/apt/sources.list ]; then
  sed -n 's/^deb \(.*debian.*\)$/deb-src \1/p' /etc/apt/sources.list > "$apt_dir/sources.list"
fi
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  sed 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$apt_dir/parts/debian.sources"
fi
if [ ! -s "$apt_dir/sources.list" ] && [ ! -s "$apt_dir/parts/debian.sources" ]; then
  echo "No Debian entry in /etc/apt/sources.list or /etc/apt/sources.list.d/debian.sources" >&2
  exit 1
fi
apt_get() {
  apt-get -q -o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts="$apt_dir/parts" \
    -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache" "$@"
}
apt_get update >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; exit 1; }
mkdir -p "$work/download"
(cd "$work/download" && apt_get source --download-only "$source_package=$version") >>"$work/apt.log" 2>&1 \
  || { cat "$work/apt.log" >&2; exit 1; }

# Installed grpc-go, plus interop/ (server, test service, and the generated code's .proto).
grpc="$work/gopath/src/google.golang.org/grpc"
mkdir -p "$(dirname "$grpc")"
cp -rs /usr/share/gocode/src/google.golang.org/grpc "$grpc"
tar -xf "$work"/download/*.orig.tar.* -C "$grpc" --strip-components=1 --wildcards \
  '*/interop/server/server.go' '*/interop/test_utils.go' '*/interop/grpc_testing/test.proto'

export GO111MODULE=off GOFLAGS= GOPATH="$work/gopath:/usr/share/gocode" GOCACHE="$work/gocache"
go build -o "$work/bin/protoc-gen-go" github.com/golang/protobuf/protoc-gen-go
(cd "$grpc/interop/grpc_testing" \
  && PATH="$work/bin:$PATH" protoc --go_out=plugins=grpc,paths=source_relative:. test.proto)
go build -o "$work/interop_server" google.golang.org/grpc/interop/server

mkdir -p "$out"
mv "$work/interop_server" "$out/interop_server"
echo "$version" > "$out/version"
echo "Built grpc-go interop server $version into $out"
