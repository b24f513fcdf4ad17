import { describe, expect, it } from 'vitest';
import { parseListen } from '../../../src/ui/listen.js';
import { HostPolicy } from '../../../src/ui/security/hosts.js';
import { checkSession, signSession } from '../../../src/ui/security/session.js';

describe('listen addresses and hosts', () => {
  it('parses --listen', () => {
    expect(parseListen('127.0.0.1:8484')).toEqual({ host: '127.0.0.1', port: 8484 });
    expect(parseListen('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(parseListen('9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(() => parseListen('127.0.0.1')).toThrow('is not an address to listen on');
    expect(() => parseListen('1.2.3.4:70000')).toThrow('outside 0-65535');
  });

  it('allows the listen address, loopback names on loopback, and configured names', () => {
    const policy = new HostPolicy({ host: '127.0.0.1', port: 8484 }, ['Flow.Example.com']);
    expect(policy.allows('127.0.0.1:8484')).toBe(true);
    expect(policy.allows('localhost:8484')).toBe(true);
    expect(policy.allows('[::1]:8484')).toBe(true);
    expect(policy.allows('flow.example.com')).toBe(true);
    expect(policy.allows('flow.example.com:443')).toBe(true);
    expect(policy.allows('127.0.0.1:8485')).toBe(false);
    expect(policy.allows('evil.example:8484')).toBe(false);
    expect(policy.allows('127.0.0.1.evil.example:8484')).toBe(false);
    expect(policy.allows(undefined)).toBe(false);
    expect(policy.allows('a b')).toBe(false);
    expect(policy.allowsOrigin('http://127.0.0.1:8484', '127.0.0.1:8484')).toBe(true);
    expect(policy.allowsOrigin('http://localhost:8484', '127.0.0.1:8484')).toBe(false);
    expect(policy.allowsOrigin('null', '127.0.0.1:8484')).toBe(false);
  });

  it('on an address beyond loopback, only that address and configured names', () => {
    const policy = new HostPolicy({ host: '10.1.2.3', port: 80 });
    expect(policy.allows('10.1.2.3')).toBe(true);
    expect(policy.allows('localhost')).toBe(false);
  });

  it('signs sessions that expire and cannot be extended', () => {
    const value = signSession('t'.repeat(43), 2000);
    expect(checkSession('t'.repeat(43), value, 1000)).toBe('valid');
    expect(checkSession('t'.repeat(43), value, 3000)).toBe('expired');
    expect(checkSession('t'.repeat(43), value.replace(/^2000/, '9000'), 1000)).toBe('invalid');
    expect(checkSession('u'.repeat(43), value, 1000)).toBe('invalid');
    expect(checkSession('t'.repeat(43), 'garbage', 1000)).toBe('invalid');
  });
});
