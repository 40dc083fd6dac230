/**
 * A NextGenPSD2 1.3.9 bank simulator with deterministic data and a real SCA redirect page; embedded in the server by default and runnable on its own.
 */
package org.openfinq.sandboxbank;
