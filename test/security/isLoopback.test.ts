// isLoopback decides whether a server may bind without a secret and TLS: only real loopback
// addresses pass, never a DNS name that merely starts like one.
import { isLoopback } from '@gleam/proto';

test.each(['localhost', '127.0.0.1', '127.0.0.2', '127.255.255.255', '127.1.2.3', '127.0.0.0', '::1', '[::1]'])('%s is loopback', (host) => {
  expect(isLoopback(host)).toBe(true);
});

test.each([
  '127.0.0.1.evil.example',
  '127.evil.example',
  '127.0.0',
  '127.0.0.1.',
  '127.0.0.256',
  '127.0.0.01',
  '127.0.0.1:80',
  ' 127.0.0.1',
  '127.0.0.-1',
  '0.0.0.0',
  '::',
  '[::]',
  '10.0.0.1',
  '128.0.0.1',
  'localhost.evil.example',
  'mylocalhost',
  '::ffff:127.0.0.1',
  '[::1].evil',
  '',
])('%p is not loopback', (host) => {
  expect(isLoopback(host)).toBe(false);
});
