//! A DNS server on a loopback address's port 53, as the name server of a root's
//! `/etc/resolv.conf`: it answers A queries for the names it was given with their
//! addresses, AAAA queries for them with no address, and NXDOMAIN for anything else; and it
//! records every name it was asked. A test file takes it with
//! `#[path = "common/dns.rs"] mod dns;`.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The server; stops when dropped.
pub struct Dns {
    ip: Ipv4Addr,
    asked: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Dns {
    /// Serves `names` (lower case, without the final dot) on `ip`:53 over UDP.
    pub fn start(ip: Ipv4Addr, names: &[(&str, Ipv4Addr)]) -> std::io::Result<Dns> {
        let socket = UdpSocket::bind((ip, 53))?;
        socket.set_read_timeout(Some(Duration::from_millis(100)))?;
        let names: BTreeMap<String, Ipv4Addr> =
            names.iter().map(|(n, a)| (n.to_string(), *a)).collect();
        let asked: Arc<Mutex<Vec<String>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (seen, stopped) = (asked.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let mut buf = [0u8; 1500];
            while !stopped.load(Ordering::SeqCst) {
                let Ok((len, from)) = socket.recv_from(&mut buf) else {
                    continue;
                };
                if let Some((name, reply)) = answer(&buf[..len], &names) {
                    seen.lock().unwrap().push(name);
                    let _ = socket.send_to(&reply, from);
                }
            }
        });
        Ok(Dns {
            ip,
            asked,
            stop,
            thread: Some(thread),
        })
    }

    /// The address it listens on, for `nameserver` in `/etc/resolv.conf`.
    pub fn ip(&self) -> Ipv4Addr {
        self.ip
    }

    /// Every name asked so far, lower case, without the final dot.
    pub fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

impl Drop for Dns {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

const A: u16 = 1;
const CLASS_IN: u16 = 1;

/// The name a query asks for, and the reply (RFC 1035 §4): its header and question, with
/// one A record when the name is known and the type is A. `None` for what is no query.
fn answer(query: &[u8], names: &BTreeMap<String, Ipv4Addr>) -> Option<(String, Vec<u8>)> {
    if query.len() < 12 || query[2] & 0x80 != 0 || u16::from_be_bytes([query[4], query[5]]) != 1 {
        return None;
    }
    // The question: labels, then type and class.
    let mut at = 12;
    let mut labels = Vec::new();
    loop {
        let len = *query.get(at)? as usize;
        at += 1;
        if len == 0 {
            break;
        }
        if len & 0xC0 != 0 {
            return None; // no compression in a question of one name
        }
        labels.push(String::from_utf8_lossy(query.get(at..at + len)?).to_ascii_lowercase());
        at += len;
    }
    let qtype = u16::from_be_bytes([*query.get(at)?, *query.get(at + 1)?]);
    let question_end = at + 4;
    query.get(..question_end)?;
    let name = labels.join(".");
    let address = names.get(&name);
    let mut reply = Vec::with_capacity(question_end + 16);
    reply.extend_from_slice(&query[..2]); // the id
                                          // QR, the opcode and RD as asked, RA; NOERROR, or NXDOMAIN for an unknown name.
    reply.push(0x80 | (query[2] & 0x79));
    reply.push(0x80 | if address.is_some() { 0 } else { 3 });
    let answers: u16 = u16::from(address.is_some() && qtype == A);
    for count in [1, answers, 0, 0] {
        reply.extend_from_slice(&u16::to_be_bytes(count));
    }
    reply.extend_from_slice(&query[12..question_end]);
    if let (Some(ip), 1) = (address, answers) {
        reply.extend_from_slice(&[0xC0, 12]); // the name: a pointer to the question's
        reply.extend_from_slice(&A.to_be_bytes());
        reply.extend_from_slice(&CLASS_IN.to_be_bytes());
        reply.extend_from_slice(&60u32.to_be_bytes());
        reply.extend_from_slice(&4u16.to_be_bytes());
        reply.extend_from_slice(&ip.octets());
    }
    Some((name, reply))
}
