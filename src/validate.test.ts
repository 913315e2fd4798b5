import { isHttpUrl, isLabelName, labelError, urlError } from './validate';

describe('isHttpUrl', () => {
  it.each([
    { raw: 'http://kuma-cp:5681', want: true },
    { raw: 'https://mesh.example.com/kuma', want: true },
    { raw: ' http://prometheus:9090 ', want: true },
    { raw: 'kuma-cp:5681', want: false },
    { raw: 'ftp://kuma-cp', want: false },
    { raw: 'http://', want: false },
    { raw: '', want: false },
  ])('$raw is $want', ({ raw, want }) => {
    expect(isHttpUrl(raw)).toBe(want);
  });
});

describe('isLabelName', () => {
  it.each([
    { raw: 'kuma_io_zone', want: true },
    { raw: '_zone', want: true },
    { raw: ' zone ', want: true },
    { raw: '1zone', want: false },
    { raw: 'kuma.io/zone', want: false },
    { raw: 'zone"}', want: false },
  ])('$raw is $want', ({ raw, want }) => {
    expect(isLabelName(raw)).toBe(want);
  });
});

describe('inline errors', () => {
  it('leave empty fields to the required marker and the defaults', () => {
    expect(urlError(undefined)).toBeUndefined();
    expect(urlError('  ')).toBeUndefined();
    expect(labelError('')).toBeUndefined();
  });

  it('name what is wrong', () => {
    expect(urlError('kuma-cp:5681')).toBe('Enter an http:// or https:// URL');
    expect(labelError('kuma.io/zone')).toMatch(/Not a Prometheus label name/);
  });
});
