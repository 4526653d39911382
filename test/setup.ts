// Loaded before every unit test file: nock patches fetch before any client captures it, and no
// test may reach anything but loopback.
import nock from 'nock';

nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
