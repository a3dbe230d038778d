#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dpsctpctl against a fake DPDK telemetry v2 server.

Usage: python3 test_dpsctpctl.py PATH-TO-dpsctpctl   (exit 0 when every test passes)

The fake server speaks what DPDK 22.11's telemetry library speaks: a SOCK_SEQPACKET unix
socket, a hello {"version","pid","max_output_len"} on connect, then one JSON answer per
command, named after the command without its parameter ({"/dpsctp/assoc": {...}}), null when
the command is unknown or its handler failed.
"""

import copy
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import unittest

CTL = None  # path of the dpsctpctl under test, from argv

STATS = {
    'workers': 2, 'assocs': 2, 'uptime_ms': 3723456,
    'rx_packets': 10500, 'tx_packets': 10230, 'rx_bytes': 1520000, 'tx_bytes': 1498000,
    'to_control': 14, 'steered': 37, 'tx_dropped': 0,
    'drop.ipv4_frag': 0, 'drop.bad_crc': 3, 'drop.no_neighbour': 0, 'drop.not_sctp': 12,
    'engine.packets_in': 10449, 'engine.packets_out': 10230, 'engine.data_in': 5100,
    'engine.data_out': 5020, 'engine.assocs_established': 2, 'engine.retrans_t3': 0,
    'engine.drop.malformed': 0, 'engine.drop.bad_vtag': 4, 'engine.drop.ootb': 0,
    'engine.abort.user': 0, 'engine.abort.t3_max_retrans': 1,
    'engine.abort.protocol_violation': 0,
}

PORTS = {
    'eth1.port_id': 1, 'eth1.link': 'down', 'eth1.mac': '02:00:00:00:01:01', 'eth1.mtu': 1500,
    'eth1.addresses': ['198.18.1.1/24'], 'eth1.rx_packets': 0, 'eth1.tx_packets': 3,
    'eth1.rx_bytes': 0, 'eth1.tx_bytes': 180, 'eth1.rx_missed': 0, 'eth1.rx_errors': 0,
    'eth1.tx_errors': 0, 'eth1.offload': 'none',
    'eth0.port_id': 0, 'eth0.link': 'up', 'eth0.mac': '02:00:00:00:00:01', 'eth0.mtu': 9000,
    'eth0.addresses': ['198.18.0.1/24', '2001:db8::1/64'], 'eth0.rx_packets': 10500,
    'eth0.tx_packets': 10227, 'eth0.rx_bytes': 1520000, 'eth0.tx_bytes': 1497820,
    'eth0.rx_missed': 2, 'eth0.rx_errors': 0, 'eth0.tx_errors': 0,
    'eth0.offload': 'rx-csum,tx-csum',
}

# 17: both ends multihomed, path 0 primary and ACTIVE, path 1 POTENTIALLY-FAILED.
# 42: IPv6, one local address and a multihomed peer: two paths from the same local address.
ASSOCS = {
    17: {
        'id': 17, 'worker': 1, 'service': 'echo:7', 'state': 'ESTABLISHED',
        'local_port': 7, 'peer_port': 40000, 'local_vtag': 0x1a2b3c4d, 'peer_vtag': 0x0badcafe,
        'primary': '198.18.0.2', 'outbound_streams': 10, 'inbound_streams': 16,
        'peer_rwnd': 131072, 'rwnd': 212992, 'cwnd': 4380, 'ssthresh': 65535, 'flight': 1200,
        'srtt_us': 1234, 'rto_ms': 200, 'unacked': 1, 'queued': 2400, 'recv_queued': 1,
        'paths.local': ['198.18.0.1', '198.18.1.1'],
        'paths.remote': ['198.18.0.2', '198.18.1.2'],
        'paths.state': ['ACTIVE', 'POTENTIALLY-FAILED'],
        'paths.primary': [1, 0],
        'paths.cwnd': [4380, 1200], 'paths.flight': [1200, 0],
        'paths.srtt_us': [1234, 35000], 'paths.rto_ms': [200, 1000],
        'paths.mtu': [1500, 1500], 'paths.errors': [0, 3],
    },
    42: {
        'id': 42, 'worker': 0, 'service': 'bench:5001', 'state': 'COOKIE-ECHOED',
        'local_port': 5001, 'peer_port': 5001, 'local_vtag': 7, 'peer_vtag': 0,
        'primary': '2001:db8::2', 'outbound_streams': 0, 'inbound_streams': 0,
        'peer_rwnd': 0, 'rwnd': 212992, 'cwnd': 8940, 'ssthresh': 4294967295, 'flight': 0,
        'srtt_us': 0, 'rto_ms': 3000, 'unacked': 0, 'queued': 0, 'recv_queued': 0,
        'paths.local': ['2001:db8::1', '2001:db8::1'],
        'paths.remote': ['2001:db8::2', '2001:db8:1::2'],
        'paths.state': ['ACTIVE', 'UNCONFIRMED'],
        'paths.primary': [1, 0],
        'paths.cwnd': [8940, 8940], 'paths.flight': [0, 0],
        'paths.srtt_us': [0, 0], 'paths.rto_ms': [3000, 3000],
        'paths.mtu': [9000, 1280], 'paths.errors': [0, 0],
    },
}

COMMANDS = ['/', '/info', '/help', '/dpsctp/stats', '/dpsctp/ports', '/dpsctp/assocs',
            '/dpsctp/assoc']


class Daemon:
    """The daemon's side of the data: what each command answers (None: null)."""

    def __init__(self, stats=STATS, ports=PORTS, assocs=ASSOCS, ids=None, count=None):
        self.stats, self.ports, self.assocs = stats, ports, assocs
        self.ids = list(assocs) if ids is None else ids
        self.count = len(self.ids) if count is None else count

    def answer(self, cmd, param):
        if cmd == '/':
            return COMMANDS
        if cmd == '/dpsctp/stats':
            return self.stats
        if cmd == '/dpsctp/ports':
            return self.ports
        if cmd == '/dpsctp/assocs':
            return {'count': self.count, 'ids': self.ids}
        if cmd == '/dpsctp/assoc':
            try:
                return self.assocs.get(int(param))
            except (TypeError, ValueError):
                return None
        return None


class FakeTelemetry:
    """A DPDK telemetry v2 server on a SOCK_SEQPACKET socket, one thread per client."""

    def __init__(self, path, daemon, hello=None, raw_reply=None):
        self.path = path
        self.daemon = daemon
        self.hello = hello if hello is not None else json.dumps(
            {'version': 'DPDK 22.11.11', 'pid': os.getpid(), 'max_output_len': 16384},
            separators=(',', ':')).encode()
        self.raw_reply = raw_reply      # bytes sent instead of any real answer
        self.received = []
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.bind(path)
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.stopping = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self._client, args=(conn,), daemon=True).start()

    def _client(self, conn):
        with conn:
            conn.send(self.hello)
            while True:
                try:
                    data = conn.recv(1024)
                except OSError:
                    return
                if not data:
                    return
                text = data.decode()
                self.received.append(text)
                if self.raw_reply is not None:
                    conn.send(self.raw_reply)
                    continue
                cmd, _, param = text.partition(',')
                value = self.daemon.answer(cmd, param or None)
                conn.send(json.dumps({cmd: value}, separators=(',', ':')).encode())

    def close(self):
        self.stopping = True
        self.thread.join(2)
        self.sock.close()
        if os.path.exists(self.path):
            os.unlink(self.path)


def run_ctl(*args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sys.executable, CTL] + list(args), capture_output=True, text=True,
                          timeout=30, env=e)


class Base(unittest.TestCase):
    daemon = Daemon()

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix='dpsctpctl')
        cls.sock_path = os.path.join(cls.tmp.name, 'dpdk_telemetry.v2')
        cls.server = FakeTelemetry(cls.sock_path, cls.daemon)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.tmp.cleanup()

    def ctl(self, *args, code=0):
        r = run_ctl('--socket', self.sock_path, *args)
        self.assertEqual(r.returncode, code, 'exit code of %s\nstdout:\n%s\nstderr:\n%s'
                         % (' '.join(args), r.stdout, r.stderr))
        self.assertNotIn('Traceback', r.stderr)
        return r


class AssocsText(Base):
    def setUp(self):
        self.lines = self.ctl('assocs').stdout.splitlines()

    def test_default_command_is_assocs(self):
        self.assertEqual(self.ctl().stdout.splitlines(), self.lines)

    def test_header_columns_in_order(self):
        h = self.lines[0]
        cols = ['State', 'Recv-Q', 'Send-Q', 'Local Address:Port', 'Peer Address:Port']
        pos = [h.index(c) for c in cols]
        self.assertEqual(pos, sorted(pos))
        self.assertEqual(pos[0], 0)

    def test_rows_aligned_under_header(self):
        h = self.lines[0]
        rows = [ln for ln in self.lines[1:] if not ln.startswith(' ')]
        self.assertEqual(len(rows), 2)
        for row, cells in zip(rows, (
                ('ESTABLISHED', '1', '2400', '198.18.0.1,198.18.1.1:7', '198.18.0.2:40000'),
                ('COOKIE-ECHOED', '0', '0', '[2001:db8::1]:5001', '[2001:db8::2]:5001'))):
            for col, cell in zip(('State', 'Recv-Q', 'Send-Q', 'Local Address:Port',
                                  'Peer Address:Port'), cells):
                at = h.index(col)
                self.assertEqual(row[at:at + len(cell)], cell, 'column %s of %r' % (col, row))
                self.assertTrue(at == 0 or row[at - 1] == ' ', row)

    def test_multihomed_locals_listed_once_each(self):
        text = '\n'.join(self.lines)
        self.assertIn('198.18.0.1,198.18.1.1:7 ', text)
        self.assertIn('[2001:db8::1]:5001 ', text)
        self.assertNotIn('[2001:db8::1],[2001:db8::1]', text)

    def test_path_lines(self):
        self.assertIn('  path 198.18.0.1 -> 198.18.0.2 ACTIVE primary cwnd 4380 srtt 1.2 '
                      'rto 200 mtu 1500 flight 1200 errors 0', self.lines)
        self.assertIn('  path 198.18.1.1 -> 198.18.1.2 POTENTIALLY-FAILED cwnd 1200 '
                      'srtt 35.0 rto 1000 mtu 1500 flight 0 errors 3', self.lines)
        self.assertIn('  path 2001:db8::1 -> 2001:db8:1::2 UNCONFIRMED cwnd 8940 srtt 0.0 '
                      'rto 3000 mtu 1280 flight 0 errors 0', self.lines)

    def test_primary_marker_only_on_primary_paths(self):
        paths = [ln for ln in self.lines if ln.startswith('  path ')]
        self.assertEqual(len(paths), 4)
        marked = [ln for ln in paths if ' primary ' in ln]
        self.assertEqual(len(marked), 2)
        self.assertTrue(all(' ACTIVE primary ' in ln for ln in marked))

    def test_info_line_and_block_order(self):
        i = self.lines.index('  id 17 worker 1 service echo:7 streams in 16 out 10 '
                             'rwnd 212992 peer_rwnd 131072')
        self.assertTrue(self.lines[i - 1].startswith('ESTABLISHED'))
        self.assertTrue(self.lines[i + 1].startswith('  path 198.18.0.1 '))
        self.assertIn('  id 42 worker 0 service bench:5001 streams in 0 out 0 rwnd 212992 '
                      'peer_rwnd 0', self.lines)

    def test_asked_for_each_listed_id(self):
        self.assertIn('/dpsctp/assocs', self.server.received)
        self.assertIn('/dpsctp/assoc,17', self.server.received)
        self.assertIn('/dpsctp/assoc,42', self.server.received)

    def test_no_trailing_whitespace(self):
        self.assertTrue(all(ln == ln.rstrip() for ln in self.lines))


class Json(Base):
    def test_assocs_json_is_list_of_assoc_dicts(self):
        data = json.loads(self.ctl('--json').stdout)
        self.assertIsInstance(data, list)
        self.assertEqual([a['id'] for a in data], [17, 42])
        self.assertEqual(data[0], ASSOCS[17])

    def test_json_after_the_command(self):
        data = json.loads(self.ctl('assocs', '--json').stdout)
        self.assertEqual([a['id'] for a in data], [17, 42])

    def test_stats_ports_assoc_json(self):
        self.assertEqual(json.loads(self.ctl('--json', 'stats').stdout), STATS)
        self.assertEqual(json.loads(self.ctl('--json', 'ports').stdout), PORTS)
        self.assertEqual(json.loads(self.ctl('--json', 'assoc', '42').stdout), ASSOCS[42])

    def test_raw(self):
        r = self.ctl('raw', '/dpsctp/assocs')
        self.assertEqual(json.loads(r.stdout), {'/dpsctp/assocs': {'count': 2, 'ids': [17, 42]}})
        r = self.ctl('raw', '/nonsense', code=1)
        self.assertEqual(json.loads(r.stdout), {'/nonsense': None})


class StatsText(Base):
    def test_sections_in_order(self):
        lines = self.ctl('stats').stdout.splitlines()
        titles = [ln for ln in lines if not ln.startswith(' ')]
        self.assertEqual(titles, ['traffic', 'drops by reason', 'engine', 'aborts by site'])

    def test_traffic(self):
        out = self.ctl('stats').stdout
        for k in ('workers', 'assocs', 'uptime_ms', 'rx_packets', 'tx_packets', 'rx_bytes',
                  'tx_bytes', 'to_control', 'steered', 'tx_dropped'):
            self.assertRegex(out, r'(?m)^  %s +%d\b' % (k, STATS[k]))
        self.assertIn('(1:02:03)', out)

    def test_only_nonzero_drops_and_aborts(self):
        lines = self.ctl('stats').stdout.splitlines()
        names = [ln.split()[0] for ln in lines if ln.startswith('  ')]
        for k in ('drop.bad_crc', 'drop.not_sctp', 'engine.drop.bad_vtag',
                  'engine.abort.t3_max_retrans'):
            self.assertIn(k, names)
        for k in ('drop.ipv4_frag', 'drop.no_neighbour', 'engine.drop.malformed',
                  'engine.drop.ootb', 'engine.abort.user', 'engine.abort.protocol_violation'):
            self.assertNotIn(k, names)
        # drops come under their heading, dataplane before engine
        self.assertLess(lines.index('drops by reason'),
                        [i for i, ln in enumerate(lines) if 'drop.bad_crc' in ln][0])
        self.assertLess([i for i, ln in enumerate(lines) if ' drop.not_sctp ' in ln][0],
                        [i for i, ln in enumerate(lines) if 'engine.drop.bad_vtag' in ln][0])

    def test_engine_counters_shown_even_when_zero(self):
        out = self.ctl('stats').stdout
        self.assertRegex(out, r'(?m)^  engine\.data_in +5100$')
        self.assertRegex(out, r'(?m)^  engine\.retrans_t3 +0$')

    def test_all_shows_zero_drops(self):
        out = self.ctl('stats', '-a').stdout
        self.assertRegex(out, r'(?m)^  drop\.ipv4_frag +0$')
        self.assertRegex(out, r'(?m)^  engine\.abort\.user +0$')


class PortsAndAssoc(Base):
    def test_ports_one_block_per_port_by_id(self):
        out = self.ctl('ports').stdout
        blocks = out.strip().split('\n\n')
        self.assertEqual(len(blocks), 2)
        self.assertTrue(blocks[0].startswith('eth0  port 0  link up  mac 02:00:00:00:00:01  '
                                             'mtu 9000'))
        self.assertIn('198.18.0.1/24, 2001:db8::1/64', blocks[0])
        self.assertIn('rx-csum,tx-csum', blocks[0])
        self.assertRegex(blocks[0], r'rx +packets 10500  bytes 1520000  missed 2  errors 0')
        self.assertTrue(blocks[1].startswith('eth1  port 1  link down'))
        self.assertRegex(blocks[1], r'offload +none')

    def test_assoc_detail(self):
        out = self.ctl('assoc', '17').stdout
        self.assertTrue(out.startswith('association 17\n'))
        self.assertRegex(out, r'(?m)^  local +198\.18\.0\.1,198\.18\.1\.1:7$')
        self.assertRegex(out, r'(?m)^  peer +198\.18\.0\.2,198\.18\.1\.2:40000$')
        self.assertRegex(out, r'(?m)^  local_vtag +0x1a2b3c4d$')
        self.assertRegex(out, r'(?m)^  srtt_us +1234 \(1\.2 ms\)$')
        self.assertRegex(out, r'(?m)^  ssthresh +65535$')
        self.assertIn('  path 198.18.1.1 -> 198.18.1.2 POTENTIALLY-FAILED cwnd 1200', out)

    def test_unknown_assoc(self):
        r = self.ctl('assoc', '99', code=1)
        self.assertIn('no association 99', r.stderr)
        self.assertEqual(r.stdout, '')


class Errors(unittest.TestCase):
    def test_missing_socket(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'nothing.v2')
            r = run_ctl('--socket', path)
        self.assertEqual(r.returncode, 2)
        self.assertIn(path, r.stderr)
        self.assertIn('is dpsctpd running', r.stderr)
        self.assertNotIn('Traceback', r.stderr)
        self.assertEqual(r.stdout, '')

    def test_missing_socket_names_prefix(self):
        with tempfile.TemporaryDirectory() as d:
            r = run_ctl('-p', 'nosuch', 'stats', env={'RUNTIME_DIRECTORY': d})
        self.assertEqual(r.returncode, 2)
        self.assertIn(os.path.join(d, 'dpdk', 'nosuch', 'dpdk_telemetry.v2'), r.stderr)
        self.assertIn("file prefix 'nosuch'", r.stderr)
        self.assertNotIn('Traceback', r.stderr)

    def test_stale_socket_refused(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'stale.v2')
            s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            s.bind(path)       # bound, never listening: connect is refused
            try:
                r = run_ctl('--socket', path)
            finally:
                s.close()
        self.assertEqual(r.returncode, 2)
        self.assertIn('refused', r.stderr)

    def test_prefix_finds_the_socket(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, 'dpdk', 'lab1'))
            srv = FakeTelemetry(os.path.join(d, 'dpdk', 'lab1', 'dpdk_telemetry.v2'), Daemon())
            try:
                r = run_ctl('--file-prefix', 'lab1', '--json', 'stats',
                            env={'RUNTIME_DIRECTORY': d})
            finally:
                srv.close()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout), STATS)

    def _against(self, args, **server):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 't.v2')
            srv = FakeTelemetry(path, server.pop('daemon', Daemon()), **server)
            try:
                return run_ctl('--socket', path, *args)
            finally:
                srv.close()

    def test_bad_hello(self):
        r = self._against(['stats'], hello=b'hello, world')
        self.assertEqual(r.returncode, 3)
        self.assertIn('not JSON', r.stderr)
        self.assertNotIn('Traceback', r.stderr)

    def test_hello_without_max_output_len(self):
        r = self._against(['stats'], hello=b'{"version":"x"}')
        self.assertEqual(r.returncode, 3)
        self.assertIn('unexpected hello', r.stderr)

    def test_bad_reply(self):
        r = self._against(['stats'], raw_reply=b'{"/dpsctp/stats":[1,2,3]}')
        self.assertEqual(r.returncode, 3)
        self.assertIn('not a dictionary', r.stderr)
        r = self._against(['assocs'], raw_reply=b'{"/other":{}}')
        self.assertEqual(r.returncode, 3)
        self.assertNotIn('Traceback', r.stderr)

    def test_not_dpsctpd(self):
        class Plain(Daemon):
            def answer(self, cmd, param):
                return ['/', '/info'] if cmd == '/' else None
        r = self._against(['stats'], daemon=Plain())
        self.assertEqual(r.returncode, 3)
        r = self._against(['assoc', '1'], daemon=Plain())
        self.assertEqual(r.returncode, 3)
        self.assertIn('no /dpsctp/assoc command', r.stderr)


class Edges(unittest.TestCase):
    def _against(self, daemon, *args):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 't.v2')
            srv = FakeTelemetry(path, daemon)
            try:
                r = run_ctl('--socket', path, *args)
            finally:
                srv.close()
        self.assertNotIn('Traceback', r.stderr)
        return r

    def test_no_associations(self):
        r = self._against(Daemon(assocs={}))
        self.assertEqual((r.returncode, r.stdout), (0, 'no associations\n'))
        r = self._against(Daemon(assocs={}), '--json')
        self.assertEqual(json.loads(r.stdout), [])

    def test_vanished_assoc_skipped_and_truncated_list_noted(self):
        r = self._against(Daemon(ids=[17, 99, 42], count=600))
        self.assertEqual(r.returncode, 0)
        self.assertEqual(len([ln for ln in r.stdout.splitlines() if ln.startswith('  id ')]), 2)
        self.assertIn('2 of 600', r.stderr)

    def test_slash_separated_keys_read_like_dotted_ones(self):
        """DPDK 22.11 refuses '.' in dictionary names; a daemon using '/' must work too."""
        slash = lambda d: {k.replace('.', '/'): v for k, v in d.items()}  # noqa: E731
        assocs = {i: slash(a) for i, a in ASSOCS.items()}
        d = Daemon(stats=slash(STATS), ports=slash(PORTS), assocs=assocs)
        dotted = Daemon()
        for args in (('assocs',), ('stats',), ('ports',), ('assoc', '17')):
            self.assertEqual(self._against(d, *args).stdout,
                             self._against(dotted, *args).stdout, args)

    def test_missing_fields_do_not_crash(self):
        a = copy.deepcopy(ASSOCS[17])
        for k in ('cwnd', 'paths.mtu', 'primary'):
            del a[k]
        a['paths.errors'] = [0]         # shorter than the others
        r = self._against(Daemon(assocs={17: a}))
        self.assertEqual(r.returncode, 0)
        self.assertIn('mtu ? flight 0 errors ?', r.stdout)


def main():
    global CTL
    if len(sys.argv) < 2:
        print('usage: %s PATH-TO-dpsctpctl [unittest args]' % sys.argv[0], file=sys.stderr)
        return 2
    CTL = os.path.abspath(sys.argv[1])
    if not os.path.isfile(CTL):
        print('%s: no such file' % CTL, file=sys.stderr)
        return 2
    prog = unittest.main(argv=[sys.argv[0]] + sys.argv[2:], exit=False, verbosity=2)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main())
