//! The `nanoipc` command line. CLI parsing only; every command's work lives in the library.

fn main() {
    eprintln!("nanoipc: no commands yet");
    std::process::exit(2);
}
