fn main() -> std::process::ExitCode {
    xuncha::cli::main()
}
