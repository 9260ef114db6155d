# Homebrew formula for karmadactl, built from source with the same CMake install as the packages
# (issue 13): the binary, the kubectl-karmada link, one man page per command and the bash, zsh and
# fish completions. On release, set `url` to the tag's source archive and `sha256` to its checksum
# (`brew bump-formula-pr --url=... karmadactl` does both).
class Karmadactl < Formula
  desc "Install and manage the Karmada multi-cluster control plane"
  homepage "https://karmada.io"
  url "https://github.com/OWNER/karmadactl/archive/refs/tags/v0.1.0.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  head "https://github.com/OWNER/karmadactl.git", branch: "main"

  depends_on "cli11" => :build
  depends_on "cmake" => :build
  depends_on "doctest" => :build
  depends_on "ninja" => :build
  depends_on "nlohmann-json" => :build
  depends_on "pkg-config" => :build
  depends_on "fmt"
  depends_on "openssl@3"
  depends_on "yaml-cpp"

  uses_from_macos "curl"
  uses_from_macos "zlib"

  fails_with :clang do
    build 1400
    cause "needs C++23 std::expected"
  end

  def install
    system "cmake", "-S", ".", "-B", "build", "-G", "Ninja", "-DBUILD_TESTING=OFF",
                    "-DCMAKE_UNITY_BUILD=ON", *std_cmake_args
    system "cmake", "--build", "build"
    # Installs bin/karmadactl, bin/kubectl-karmada, share/man/man1/karmadactl*.1 and the
    # completions under share/{bash-completion,zsh,fish}, where Homebrew links them from.
    system "cmake", "--install", "build"
    # Homebrew's zsh site-functions directory.
    zsh_completion.install share/"zsh/vendor-completions/_karmadactl"
  end

  test do
    assert_match "GitVersion:\"v#{version}\"", shell_output("#{bin}/karmadactl version")
    assert_match "kubectl karmada", shell_output("#{bin}/kubectl-karmada --help")
    assert_match "join", shell_output("#{bin}/karmadactl __complete jo")
    assert_predicate man1/"karmadactl-init.1", :exist?
  end
end
