use super::*;
use std::sync::atomic::{AtomicU32, Ordering};

fn fetcher(
    calls: &Arc<AtomicU32>,
    items: Vec<SecretMetadata>,
    delay_ms: u64,
) -> impl FnOnce() -> BoxFuture<'static, Result<Listing, ApiError>> {
    let calls = calls.clone();
    move || {
        async move {
            calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            Ok(Arc::new(items))
        }
        .boxed()
    }
}

#[tokio::test]
async fn concurrent_reads_share_one_request() {
    let cache = Arc::new(ListCache::default());
    let calls = Arc::new(AtomicU32::new(0));
    let mut tasks = Vec::new();
    for _ in 0..100 {
        let cache = cache.clone();
        let f = fetcher(&calls, vec![SecretMetadata::listed("a", "A")], 20);
        tasks.push(tokio::spawn(async move { cache.for_read(f).await }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().len(), 1);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // Still good afterwards.
    cache.for_read(fetcher(&calls, vec![], 0)).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_write_makes_the_next_read_list_again() {
    let cache = ListCache::default();
    let calls = Arc::new(AtomicU32::new(0));
    cache
        .for_read(fetcher(&calls, vec![SecretMetadata::listed("a", "A")], 0))
        .await
        .unwrap();
    cache.created(SecretMetadata::listed("b", "B"));
    let after = cache
        .for_read(fetcher(
            &calls,
            vec![
                SecretMetadata::listed("a", "A"),
                SecretMetadata::listed("b", "B"),
            ],
            0,
        ))
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(after.len(), 2);
}

#[tokio::test]
async fn a_read_after_a_write_does_not_join_an_older_request() {
    let cache = Arc::new(ListCache::default());
    let calls = Arc::new(AtomicU32::new(0));
    let slow = {
        let cache = cache.clone();
        let f = fetcher(&calls, vec![], 100);
        tokio::spawn(async move { cache.for_read(f).await })
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    cache.created(SecretMetadata::listed("b", "B"));
    let fresh = cache
        .for_read(fetcher(&calls, vec![SecretMetadata::listed("b", "B")], 0))
        .await
        .unwrap();
    assert_eq!(fresh.len(), 1, "the read after the write must see it");
    assert!(slow.await.unwrap().unwrap().is_empty());
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // The older answer did not overwrite the newer one.
    let again = cache.for_read(fetcher(&calls, vec![], 0)).await.unwrap();
    assert_eq!(again.len(), 1);
}

#[tokio::test]
async fn creates_see_the_last_answer_patched_with_own_writes() {
    let cache = ListCache::default();
    let calls = Arc::new(AtomicU32::new(0));
    cache
        .before_write(fetcher(&calls, vec![SecretMetadata::listed("a", "A")], 0))
        .await
        .unwrap();
    cache.created(SecretMetadata::listed("b", "B"));
    cache.deleted("a");
    let view = cache
        .before_write(fetcher(&calls, vec![], 0))
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(
        view.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["b"]
    );
}

#[tokio::test]
async fn errors_are_shared_but_not_cached() {
    let cache = ListCache::default();
    let err = cache
        .for_read(|| async { Err(ApiError::Cancelled) }.boxed())
        .await;
    assert_eq!(err, Err(ApiError::Cancelled));
    let calls = Arc::new(AtomicU32::new(0));
    cache.for_read(fetcher(&calls, vec![], 0)).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn creates_share_lists_taken_after_them() {
    let cache = Arc::new(ListCache::default());
    let starts = Arc::new(Mutex::new(Vec::<Instant>::new()));
    let mut tasks = Vec::new();
    for i in 0..40u64 {
        let (cache, starts) = (cache.clone(), starts.clone());
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(i * 2)).await;
            let since = Instant::now();
            let fetch = move || {
                async move {
                    // Each answer names the request it came from.
                    let n = {
                        let mut starts = starts.lock().unwrap();
                        starts.push(Instant::now());
                        starts.len() - 1
                    };
                    tokio::time::sleep(Duration::from_millis(15)).await;
                    Ok(Arc::new(vec![SecretMetadata::listed(&n.to_string(), "K")]))
                }
                .boxed()
            };
            let listing = cache.started_after(since, fetch).await.unwrap();
            (since, listing[0].id.parse::<usize>().unwrap())
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    let starts = starts.lock().unwrap().clone();
    for (since, request) in answers {
        assert!(
            starts[request] >= since,
            "a list started before the create finished"
        );
    }
    // 40 creates over ~80 ms, lists of 15 ms: a handful of requests, not 40.
    assert!(starts.len() <= 8, "{} lists", starts.len());
}

#[tokio::test]
async fn a_wave_of_creates_shares_one_list() {
    let cache = Arc::new(ListCache::default());
    let calls = Arc::new(AtomicU32::new(0));
    // Ten POSTs start together and answer over 10 ms, as a wave of Terraform's
    // parallel creates does.
    let mut tasks = Vec::new();
    for i in 0..10u64 {
        let (cache, f) = (
            cache.clone(),
            fetcher(&calls, vec![SecretMetadata::listed("a", "A")], 5),
        );
        tasks.push(tokio::spawn(async move {
            let posting = cache.posting();
            tokio::time::sleep(Duration::from_millis(i)).await;
            drop(posting);
            cache.started_after(Instant::now(), f).await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn creates_whose_posts_overlap_share_one_list_however_slow_a_post() {
    let cache = Arc::new(ListCache::default());
    let calls = Arc::new(AtomicU32::new(0));
    // Two POSTs under way at once; the second answers long after the first, far beyond
    // the brief wait for a wave (a slow API, a loaded machine).
    let both_posting = Arc::new(tokio::sync::Barrier::new(2));
    let mut tasks = Vec::new();
    for slow_ms in [0u64, 300] {
        let (cache, f, both_posting) = (
            cache.clone(),
            fetcher(&calls, vec![SecretMetadata::listed("a", "A")], 5),
            both_posting.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let posting = cache.posting();
            both_posting.wait().await;
            tokio::time::sleep(Duration::from_millis(slow_ms)).await;
            drop(posting);
            cache.started_after(Instant::now(), f).await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "creates whose POSTs overlapped"
    );
}
