package org.openfinq.connector.berlingroup;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The profile quirk {@code transactions.page_size}: {@code name=size} appended to the first transactions page's query. */
class PageSizeQuirkTest {

    @Test
    void namesTheParameterAndSize() {
        assertThat(BgAccountInformation.pageSizeParameter("pageSize=1000")).isEqualTo("&pageSize=1000");
        assertThat(BgAccountInformation.pageSizeParameter("size=50")).isEqualTo("&size=50");
        assertThat(BgAccountInformation.pageSizeParameter(null)).isEmpty();
        assertThat(BgAccountInformation.pageSizeParameter(" ")).isEmpty();
    }

    @Test
    void refusesWhatIsNotNameEqualsPositiveSize() {
        for (String bad : new String[]{"1000", "pageSize=", "pageSize=0", "pageSize=-5", "=100", "page size=10", "pageSize=10&x=1",
                "pageSize=1234567"}) {
            assertThatThrownBy(() -> BgAccountInformation.pageSizeParameter(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
