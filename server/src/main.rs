//! The `tokensmith` binary: `serve` runs the site, the server functions and the brand API;
//! the other subcommands administer the database (see `tokensmith help`).

use server::commands::{self, cli};
use server::config;
use server::telemetry::logs;
use std::process::ExitCode;

// mimalloc: the pages allocate many small objects and free 64 KB buffers; glibc spent a
// fifth of the API page's CPU in malloc, free and malloc_consolidate.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    match config::log_format() {
        Ok(format) => logs::init(format),
        Err(message) => {
            eprintln!("tokensmith: {message}");
            return ExitCode::from(2);
        }
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match cli::parse(&args) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("tokensmith: {message}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    if command == cli::Command::Help {
        println!("{}", cli::USAGE);
        return ExitCode::SUCCESS;
    }
    match commands::run(command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tokensmith: {message}");
            ExitCode::FAILURE
        }
    }
}
