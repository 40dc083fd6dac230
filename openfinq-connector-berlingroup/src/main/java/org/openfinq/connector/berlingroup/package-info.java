/**
 * The Berlin Group NextGenPSD2 (XS2A 1.3.x) connector: implements the SPI over HTTP for any bank whose profile names this protocol.
 */
package org.openfinq.connector.berlingroup;
