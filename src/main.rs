use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    crisisdesk::cli::run(crisisdesk::cli::Cli::parse())
}
