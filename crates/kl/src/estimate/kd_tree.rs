//! Exact k-nearest-neighbour search in a k-d tree, for [`knn_divergence`](super::knn_divergence).
//!
//! The tree is implicit: one permutation of the point indices, arranged so that every range
//! `order[lo..hi]` with more than [`LEAF`] points is a node whose median sits at
//! `mid = lo + (hi − lo)/2`, with the points at or below the median's coordinate (on the node's
//! split dimension, the one of widest spread) on the left and the others on the right. Building
//! is `O(n d log n)` (one selection per level); a query visits the near side first and the far
//! side only while the splitting plane is closer than the k-th best distance so far, so the
//! answer is exact: it is the same k-th smallest squared distance a brute-force scan finds.
//!
//! Squared distances are summed coordinate by coordinate in column order, as the brute-force
//! route does, so both routes give the same bits.

/// Ranges of at most this many points are scanned, not split.
const LEAF: usize = 16;

/// An implicit k-d tree over the rows of a row-major `n × d` matrix.
pub(super) struct KdTree {
    /// The points, row-major, in tree order: the point at position `i` is
    /// `coords[i·d .. (i+1)·d]`, so that a leaf's points are contiguous.
    coords: Vec<f64>,
    dim: usize,
    /// The permutation that makes the tree (see the module docs): `order[i]` is the index,
    /// in the caller's matrix, of the point at position `i`.
    order: Vec<usize>,
    /// `split[mid]`: the split dimension of the node whose median is at position `mid`.
    split: Vec<usize>,
}

/// The squared distances of the `k` nearest points found so far, increasing.
pub(super) struct Neighbours {
    k: usize,
    best: Vec<f64>,
}

impl Neighbours {
    pub(super) fn new(k: usize) -> Self {
        Self {
            k,
            best: Vec::with_capacity(k + 1),
        }
    }

    /// The k-th smallest squared distance, once the search is done.
    pub(super) fn kth(&self) -> f64 {
        self.best[self.best.len() - 1]
    }

    /// The squared distance a candidate must beat: +∞ until `k` points are held.
    #[inline(always)]
    fn bound(&self) -> f64 {
        if self.best.len() < self.k {
            f64::INFINITY
        } else {
            self.best[self.k - 1]
        }
    }

    #[inline(always)]
    fn offer(&mut self, distance: f64) {
        if distance < self.bound() {
            // Insertion into the sorted list, dropping the k+1-th.
            let mut at = self.best.len();
            while at > 0 && self.best[at - 1] > distance {
                at -= 1;
            }
            self.best.insert(at, distance);
            self.best.truncate(self.k);
        }
    }
}

impl KdTree {
    /// The tree over `coords`, `n = coords.len() / dim` points of dimension `dim ≥ 1`.
    pub(super) fn new(coords: Vec<f64>, dim: usize) -> Self {
        let n = coords.len() / dim;
        let mut tree = Self {
            coords,
            dim,
            order: (0..n).collect(),
            split: vec![0; n],
        };
        tree.build(0, n);
        // Lay the points out in tree order.
        let mut placed = Vec::with_capacity(tree.coords.len());
        for &j in &tree.order {
            placed.extend_from_slice(&tree.coords[j * dim..(j + 1) * dim]);
        }
        tree.coords = placed;
        tree
    }

    fn build(&mut self, lo: usize, hi: usize) {
        if hi - lo <= LEAF {
            return;
        }
        // The dimension of widest spread over the node's points.
        let mut axis = 0;
        let mut widest = -1.0;
        for a in 0..self.dim {
            let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
            for &j in &self.order[lo..hi] {
                let v = self.coords[j * self.dim + a];
                min = min.min(v);
                max = max.max(v);
            }
            if max - min > widest {
                widest = max - min;
                axis = a;
            }
        }
        let mid = lo + (hi - lo) / 2;
        let (coords, dim) = (&self.coords, self.dim);
        self.order[lo..hi].select_nth_unstable_by(mid - lo, |&a, &b| {
            coords[a * dim + axis].total_cmp(&coords[b * dim + axis])
        });
        self.split[mid] = axis;
        self.build(lo, mid);
        self.build(mid + 1, hi);
    }

    /// The squared Euclidean distance from `query` to the point at position `i`.
    ///
    /// Plain index loops here and in the search: at the dev profile's opt-level 1 iterator
    /// adapters are not inlined, and the search is most of chapter 07's run time.
    #[inline(always)]
    fn distance(&self, query: &[f64], i: usize) -> f64 {
        let point = &self.coords[i * self.dim..(i + 1) * self.dim];
        let mut sum = 0.0;
        let mut axis = 0;
        while axis < point.len() {
            let d = query[axis] - point[axis];
            sum += d * d;
            axis += 1;
        }
        sum
    }

    /// Fills `found` with the `found.k` points nearest to `query`, leaving out point `exclude`.
    pub(super) fn search(&self, query: &[f64], exclude: Option<usize>, found: &mut Neighbours) {
        found.best.clear();
        self.visit(query, exclude, 0, self.order.len(), found);
    }

    fn visit(
        &self,
        query: &[f64],
        exclude: Option<usize>,
        lo: usize,
        hi: usize,
        found: &mut Neighbours,
    ) {
        let skip = exclude.unwrap_or(usize::MAX);
        if hi - lo <= LEAF {
            let mut i = lo;
            while i < hi {
                if self.order[i] != skip {
                    found.offer(self.distance(query, i));
                }
                i += 1;
            }
            return;
        }
        let mid = lo + (hi - lo) / 2;
        if self.order[mid] != skip {
            found.offer(self.distance(query, mid));
        }
        let axis = self.split[mid];
        let gap = query[axis] - self.coords[mid * self.dim + axis];
        let (near, far) = if gap <= 0.0 {
            ((lo, mid), (mid + 1, hi))
        } else {
            ((mid + 1, hi), (lo, mid))
        };
        self.visit(query, exclude, near.0, near.1, found);
        if gap * gap < found.bound() {
            self.visit(query, exclude, far.0, far.1, found);
        }
    }
}
