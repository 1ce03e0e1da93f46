//! `kl::vae`, the linear VAE of chapter 11: its hand gradient against central differences
//! over drawn parameters and data, its trained optimum against the Gaussian
//! rate-distortion curve (an independent, closed-form route), and its errors.

use kl::Error;
use kl::vae::{
    LinearVae, Options, covariance_eigenvalues, fit, gradient_check, loss_and_gradient,
    rate_distortion_bound,
};
use proptest::collection::vec;
use proptest::prelude::{ProptestConfig, prop_assert, proptest};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Central differences with h = 1e-5 on a loss that is a polynomial of degree 4 in the
    /// weights (times e^{2s}, |s| ≤ 1) over data in [−3, 3]: truncation h²·|f'''| stays
    /// near 1e-8 of the gradient's size, rounding ε·loss/h near 1e-10; 1e-6 is a margin of
    /// about a hundred.
    #[test]
    fn the_hand_gradient_matches_central_differences(
        theta in vec(-1.0..1.0f64, 14),
        data in vec((-3.0..3.0f64, -3.0..3.0f64), 1..20),
        beta in 0.0..4.0f64,
    ) {
        let data: Vec<[f64; 2]> = data.into_iter().map(|(a, b)| [a, b]).collect();
        let model = LinearVae::from_slice(&theta).unwrap();
        let check = gradient_check(&data, &model, beta, 1e-5).unwrap();
        prop_assert!(check.max_relative_error < 1e-6, "{check:?}");
    }

    /// The loss's parts: the distortion is ½ E‖x − x̂‖² by Monte Carlo-free algebra (the
    /// residual at the mean plus the decoder's spread of σ), and the rate is the mean of the
    /// registry's diagonal pair against N(0, I).
    #[test]
    fn the_rate_is_the_mean_registry_kl(
        theta in vec(-1.0..1.0f64, 14),
        data in vec((-3.0..3.0f64, -3.0..3.0f64), 1..20),
    ) {
        use kl::KlDivergence;
        use kl::structured::DiagonalNormal;
        let data: Vec<[f64; 2]> = data.into_iter().map(|(a, b)| [a, b]).collect();
        let model = LinearVae::from_slice(&theta).unwrap();
        let (loss, _) = loss_and_gradient(&data, &model, 1.0).unwrap();
        let prior = DiagonalNormal::standard(2).unwrap();
        let sd = model.ln_std_dev.map(f64::exp).to_vec();
        let mean: f64 = data.iter().map(|&x| {
            DiagonalNormal::new(model.code(x).to_vec(), sd.clone()).unwrap().kl_divergence(&prior)
        }).sum::<f64>() / data.len() as f64;
        prop_assert!((loss.rate - mean).abs() <= 1e-12 * (1.0 + mean));
    }
}

/// Trained by descent, the linear VAE reaches the reverse water-filling optimum at every β:
/// a direction with covariance eigenvalue λ ≤ β carries no rate.
#[test]
fn the_trained_model_reaches_the_rate_distortion_curve() {
    // A rotated ellipse of 40 points: eigenvalues about 2.5 and 0.3.
    let data: Vec<[f64; 2]> = (0..40)
        .map(|i| {
            let t = std::f64::consts::TAU * f64::from(i) / 40.0;
            let (u, v) = (2.2 * t.cos(), 0.8 * t.sin());
            [0.6 * u - 0.8 * v + 1.0, 0.8 * u + 0.6 * v - 0.5]
        })
        .collect();
    let eigenvalues = covariance_eigenvalues(&data).unwrap();
    let start = LinearVae::from_slice(&[
        0.5, 0.1, -0.1, 0.5, 0.0, 0.0, 0.0, 0.0, 0.5, -0.1, 0.1, 0.5, 0.0, 0.0,
    ])
    .unwrap();
    for beta in [0.1, 0.5, 1.0, 4.0] {
        let options = Options {
            learning_rate: 0.05,
            iterations: 20_000,
        };
        let fit = fit(&data, &start, beta, &options).unwrap();
        let last = fit.history.last().unwrap().loss;
        let (rate, distortion) = rate_distortion_bound(&eigenvalues, beta).unwrap();
        assert!(
            (last.rate - rate).abs() < 1e-6 && (last.distortion - distortion).abs() < 1e-6,
            "β = {beta}: trained ({}, {}) vs curve ({rate}, {distortion}), ‖∇‖ = {}",
            last.rate,
            last.distortion,
            fit.gradient_norm
        );
    }
}

#[test]
fn bad_inputs_are_typed_errors() {
    let model = LinearVae::from_slice(&[0.0; 14]).unwrap();
    let options = Options {
        learning_rate: 0.1,
        iterations: 10,
    };
    assert!(matches!(
        loss_and_gradient(&[], &model, 1.0),
        Err(Error::Empty { name: "data" })
    ));
    assert!(matches!(
        loss_and_gradient(&[[0.0, f64::NAN]], &model, 1.0),
        Err(Error::NotFinite {
            name: "data",
            index: 0,
            ..
        })
    ));
    assert!(matches!(
        loss_and_gradient(&[[0.0, 0.0]], &model, -1.0),
        Err(Error::InvalidParameter { name: "beta", .. })
    ));
    assert!(matches!(
        LinearVae::from_slice(&[0.0; 13]),
        Err(Error::DimensionMismatch {
            name: "theta",
            expected: 14,
            got: 13
        })
    ));
    let bad_rate = Options {
        learning_rate: 0.0,
        ..options
    };
    assert!(matches!(
        fit(&[[0.0, 0.0]], &model, 1.0, &bad_rate),
        Err(Error::InvalidParameter {
            name: "learning_rate",
            ..
        })
    ));
    let long = Options {
        iterations: usize::MAX,
        ..options
    };
    assert!(matches!(
        fit(&[[0.0, 0.0]], &model, 1.0, &long),
        Err(Error::TooLarge {
            name: "iterations",
            ..
        })
    ));
    // The work bound: 1 000 points allow MAX_WORK / 1 000 steps, checked before any step.
    let points = vec![[0.5, -0.5]; 1000];
    let over = Options {
        iterations: (kl::vae::MAX_WORK / 1000 + 1) as usize,
        ..options
    };
    assert!(matches!(
        fit(&points, &model, 1.0, &over),
        Err(Error::TooLarge { name: "iterations", limit, .. }) if limit == kl::vae::MAX_WORK / 1000
    ));
    // A step far too large: the parameters overflow, an error rather than NaN.
    let huge = Options {
        learning_rate: 1e6,
        iterations: 200,
    };
    let start = LinearVae::from_slice(&[0.5; 14]).unwrap();
    assert!(matches!(
        fit(&[[3.0, 1.0], [-2.0, 0.5]], &start, 1.0, &huge),
        Err(Error::InvalidParameter {
            name: "learning_rate",
            ..
        })
    ));
    assert!(matches!(
        rate_distortion_bound(&[1.0, -1.0], 1.0),
        Err(Error::Negative {
            name: "eigenvalues",
            index: 1,
            ..
        })
    ));
    assert!(matches!(
        rate_distortion_bound(&[1.0], 0.0),
        Err(Error::InvalidParameter { name: "beta", .. })
    ));
}
