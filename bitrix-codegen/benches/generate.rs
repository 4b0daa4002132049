//! Generator cost per spec: read + validate + expand over 1,000 synthetic specs shaped like the
//! seed (`imbot.command.update`: nested types, errors, examples). Target: under 1 ms per spec.
//!
//! `cargo bench -p bitrix-codegen --bench generate`

use std::hint::black_box;

use bitrix_codegen::{check_all, expand, Options, SpecSource};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const SEED: &str = include_str!("../../specs/imbot/imbot.command.update.toml");

/// 1,000 specs: the seed under 1,000 method names, each with a few extra parameters.
fn synthetic() -> Vec<SpecSource> {
    (0..1000)
        .map(|i| {
            let name = format!("bench.group{}.method{i}", i % 17);
            let mut text = SEED.replace("imbot.command.update", &name);
            for p in 0..(i % 8) {
                text.push_str(&format!("\n[[params]]\nname = \"EXTRA_{p}\"\ntype = \"[integer]\"\ndescription = \"Extra {p}.\"\n"));
            }
            SpecSource::new(format!("bench/{name}.toml"), text)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let specs = synthetic();
    let checked = check_all(&specs);
    assert!(
        checked.problems.is_empty(),
        "{:?}",
        checked.problems.first()
    );
    assert_eq!(checked.methods.len(), 1000);
    let mut group = c.benchmark_group("generate_1000_specs");
    group.sample_size(10);
    group.throughput(Throughput::Elements(specs.len() as u64));
    group.bench_function("read_and_validate", |b| {
        b.iter(|| check_all(black_box(&specs)))
    });
    group.bench_function("expand", |b| {
        b.iter(|| {
            expand(
                black_box(&checked.methods),
                &checked.shared,
                &Options::default(),
            )
        })
    });
    group.bench_function("all_steps_to_string", |b| {
        b.iter(|| {
            let checked = check_all(black_box(&specs));
            expand(&checked.methods, &checked.shared, &Options::default()).to_string()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
