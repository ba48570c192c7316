// msgpackr, loaded without its optional native string extractor (msgpackr-extract).
//
// The extractor decodes a frame's strings in batches and msgpackr slices each field out of one
// bundle string. Those sliced strings cost twice over: a field kept from a frame pins its whole
// bundle (385 payloads of 89 bytes kept from 385 frames held 2.4 MB instead of 0.2 MB), and rows
// regrouped or sorted re-encode ~2x slower through the extra hop. The JS decoder makes flat
// strings. Measured on the 1M-record local sort: 2.1–2.4 s -> 1.95–2.0 s, less system time;
// a bare decode is slower (500,000 records: 35 -> 65 ms), a shuffle-and-count ~4% slower.
const KEY = 'MSGPACKR_NATIVE_ACCELERATION_DISABLED';
const saved = process.env[KEY];
process.env[KEY] = 'true';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const msgpackr = require('msgpackr') as typeof import('msgpackr');
// Leave the environment as it was: UDFs and pipe commands see the user's variables only.
if (saved === undefined) delete process.env[KEY];
else process.env[KEY] = saved;

export const { Packr, Unpackr, addExtension } = msgpackr;
